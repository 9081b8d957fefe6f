import { Props, ResourceFacts } from "../../src/facts/facts";
import { LinkedResourceFacts } from "../../src/cost";

/** Hours in the estimator's month. */
export const H = 730;

/** Tolerance for money comparisons: one cent. */
export const CENT = 0.01;

/** The root volume an instance gets when the AMI decides its size: 8 GiB gp2 at $0.10/GB-month (docs/cost.md). */
export const ROOT = 8 * 0.1;

let n = 0;

/** A custom resource managed by the default aws provider, optionally in a region. */
export function aws(
    type: string,
    props: Props,
    opts: { region?: unknown; providerProps?: Props; name?: string; dependencies?: LinkedResourceFacts["dependencies"] } = {},
): LinkedResourceFacts {
    const name = opts.name ?? `r${++n}`;
    const providerProps: Props = opts.providerProps ?? (opts.region !== undefined ? { region: opts.region as string } : {});
    return {
        urn: `urn:pulumi:dev::app::${type}::${name}`,
        type,
        name,
        kind: "custom",
        props,
        provider: {
            urn: "urn:pulumi:dev::app::pulumi:providers:aws::default_7_0_0",
            type: "pulumi:providers:aws",
            name: "default_7_0_0",
            props: providerProps,
        },
        ...(opts.dependencies ? { dependencies: opts.dependencies } : {}),
    };
}

/** A custom resource of another package. */
export function other(type: string, props: Props = {}): ResourceFacts {
    const pkg = type.split(":")[0];
    const name = `r${++n}`;
    return {
        urn: `urn:pulumi:dev::app::${type}::${name}`,
        type,
        name,
        kind: "custom",
        props,
        provider: { urn: `urn:pulumi:dev::app::pulumi:providers:${pkg}::default`, type: `pulumi:providers:${pkg}`, name: "default", props: {} },
    };
}
