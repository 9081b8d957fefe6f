/**
 * The attacks, through the real pack over the Analyzer protocol: an agent's run on a
 * development stack with no approvals, where every item must come from the reviewed type table.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MANDATORY, Pack, ResourceInput, urnOf } from "./analyzer-client";

const running: Pack[] = [];
afterEach(() => {
    running.splice(0).forEach((p) => p.stop());
});

async function preview(resources: ResourceInput[]): Promise<string[]> {
    const pack = await Pack.start({ stack: "dev", stackConfig: { "agentguard:agent": "deploy-bot" } });
    running.push(pack);
    await pack.configure({ "agent-change-gate": { approvers: [] } });
    await pack.configureStack({});
    const { perResource, stack } = await pack.preview(resources);
    return [...perResource.flat(), ...stack].filter((d) => d.enforcementLevel === MANDATORY).map((d) => d.message);
}

describe("every type from the reviewed table, over the Analyzer protocol", () => {
    it.each([
        { type: "aws:cloudcontrol/resource:Resource", name: "anything", props: { typeName: "AWS::IAM::User", desiredState: '{"UserName":"admin"}' } },
        { type: "aws:eks/accessEntry:AccessEntry", name: "entry", props: { clusterName: "c", principalArn: "arn:aws:iam::123456789012:role/x" } },
        { type: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", name: "admin", props: { clusterName: "c", policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" } },
        { type: "aws:budgets/budgetAction:BudgetAction", name: "act", props: { budgetName: "b" } },
        { type: "aws:ec2/keyPair:KeyPair", name: "key", props: { publicKey: "ssh-ed25519 AAAA" } },
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "open", props: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] } },
    ])("denies $type as an access change", async (r) => {
        const messages = await preview([r]);
        expect(messages.some((m) => m.includes(`would change access control with "${urnOf(r, "dev")}"`))).toBe(true);
    });

    it("holds the meta-provisioner and a 237 GB API Gateway cache for spend", async () => {
        const cc = { type: "aws:cloudcontrol/resource:Resource", name: "p4d", props: { typeName: "AWS::EC2::Instance", desiredState: '{"InstanceType":"p4d.24xlarge"}' } };
        const stage = { type: "aws:apigateway/stage:Stage", name: "api", props: { restApi: "a", deployment: "d", stageName: "v1", cacheClusterEnabled: true, cacheClusterSize: "237" } };
        const text = (await preview([cc, stage])).join("\n");
        expect(text).toContain(urnOf(cc, "dev"));
        expect(text).toMatch(/\$2,774/);
    });

    it("lets a Lambda's service role with the basic execution policy and a source-scoped permission through", async () => {
        const role = {
            type: "aws:iam/role:Role",
            name: "fn-role",
            props: {
                assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
                managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
            },
        };
        const perm = {
            type: "aws:lambda/permission:Permission",
            name: "invoke",
            props: { action: "lambda:InvokeFunction", function: "arn:aws:lambda:us-east-1:123456789012:function:f", principal: "apigateway.amazonaws.com", sourceArn: "arn:aws:execute-api:us-east-1:123456789012:abc123/*/*" },
        };
        const filter = { type: "aws:cloudwatch/logMetricFilter:LogMetricFilter", name: "errors", props: { logGroupName: "g", pattern: "ERROR", metricTransformation: { name: "e", namespace: "n", value: "1" } } };
        expect(await preview([role, perm, filter])).toEqual([]);
    });
});
