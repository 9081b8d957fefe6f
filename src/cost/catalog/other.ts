/**
 * The reviewed type table: @pulumi/random, the engine's stack reference and the dynamic-provider type.
 *
 * @pulumi/random is not installed in this repository, so its rows come from the provider's
 * schema (pulumi-random v4: eight resources), reviewed by hand; they live in the engine and cost
 * nothing. A random type missing here (a newer provider) is an unknown price, as for any package.
 */
import { FREE, Rows, reviewedFree, usage } from "./row";

export const ROWS: Rows = {
    // random
    "random:index/randomBytes:RandomBytes": FREE,
    "random:index/randomId:RandomId": FREE,
    "random:index/randomInteger:RandomInteger": FREE,
    "random:index/randomPassword:RandomPassword": FREE,
    "random:index/randomPet:RandomPet": FREE,
    "random:index/randomShuffle:RandomShuffle": FREE,
    "random:index/randomString:RandomString": FREE,
    "random:index/randomUuid:RandomUuid": FREE,
    // the engine's own: a stack reference reads another stack's outputs and creates nothing
    "pulumi:pulumi:StackReference": reviewedFree("reads another stack's outputs; the engine serves it and creates nothing"),
    // dynamic providers: the provider gate holds every one of them for a human
    "pulumi-nodejs:dynamic:Resource": usage("whatever its provider code calls; the provider gate holds it for approval"),
};
