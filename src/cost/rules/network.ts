/**
 * Cost rules, network: NAT gateways, Elastic IPs and public IPv4 addresses, load balancers,
 * interface VPC endpoints, Transit Gateway attachments and VPN connections.
 * @internal
 */
import { publicIpv4 } from "./compute";
import { Rule, Rules, component, free, hourly, note, read, set, stop, unknown, unpriced } from "./rule";

const natGateway: Rule = {
    doc: { from: "`network` (+ a public IPv4 unless `allocationId` names an Elastic IP, priced on its own)", inputs: "`connectivityType`, `allocationId`" },
    steps: [
        component({ label: "NAT gateway", table: "network", key: "nat_gateway", quantity: 1, per: "hour", term: "NAT gateway × {hours} h × {rate}/h", missing: { unpriced: "no price in the snapshot for NAT gateway in {region}" } }),
        read("connectivity", { input: "connectivityType", as: "text" }, "connectivityType"),
        read("allocation", { input: "allocationId", as: "raw" }),
        // With allocationId the address is an Elastic IP, priced as its own resource.
        publicIpv4(1, "its public address", { all: [{ not: { unknown: "$connectivity" } }, { not: { eq: ["$connectivity", "private"] } }, { absent: "$allocation" }] }),
        note("data processed (per GB) is usage"),
    ],
};

const PUBLIC_IPV4 = hourly({ from: "`network` (public IPv4)", inputs: "`publicIpv4Pool` (your own pool is free)" }, "network", "public_ipv4_in_use", "public IPv4 address");

const eip: Rule = {
    doc: PUBLIC_IPV4.doc,
    steps: [
        read("pool", { input: "publicIpv4Pool", as: "text" }),
        stop({ all: [{ string: "$pool" }, { not: { eq: ["$pool", "amazon"] } }] }, free("address from your own pool {pool:q} (BYOIP): no public IPv4 charge")),
        ...PUBLIC_IPV4.steps,
    ],
};

const LB_DOC = {
    from: "`elb` (+ `network`: one public IPv4 per subnet when internet-facing; two when the subnets are not listed)",
    inputs: "`loadBalancerType`, `internal`, `subnets` / `subnetMappings` / `availabilityZones`",
};

function loadBalancer(kind?: "classic"): Rule {
    return {
        doc: LB_DOC,
        steps: [
            kind ? set("given", kind) : read("given", { input: "loadBalancerType", as: "text" }),
            stop({ unknown: "$given" }, unknown(["loadBalancerType"])),
            set("type", { lower: { first: ["$given", "application"] } }),
            set("name", { first: [{ map: ["$type", { application: "Application", network: "Network", gateway: "Gateway", classic: "Classic" }] }, "$type"] }),
            component({
                label: "load balancer hours",
                table: "elb",
                key: "{type}",
                quantity: 1,
                per: "hour",
                term: "{name} Load Balancer × {hours} h × {rate}/h",
                missing: { unpriced: "no price in the snapshot for load balancer type {type:q}" },
            }),
            note("capacity units (LCU) are usage"),
            read("internal", { input: "internal", as: "bool" }, "internal"),
            {
                // An internet-facing load balancer holds one public IPv4 address per subnet (zone).
                branch: [
                    [
                        { all: [{ not: { unknown: "$internal" } }, { not: { eq: ["$internal", true] } }, { not: { eq: ["$type", "gateway"] } }] },
                        [
                            read("subnets", { input: "subnets", as: "list" }),
                            read("mappings", { input: "subnetMappings", as: "list" }),
                            read("zones", { input: "availabilityZones", as: "list" }),
                            set("list", { first: ["$subnets", "$mappings", "$zones"] }),
                            set("subnetCount", { len: "$list" }),
                            {
                                branch: [
                                    [{ unknown: "$list" }, [{ unknownInput: "subnets" }]],
                                    [{ gt: ["$subnetCount", 0] }, [publicIpv4("$subnetCount", "one per subnet")]],
                                    [true, [publicIpv4(2, "subnets not listed: at least two zones")]],
                                ],
                            },
                        ],
                    ],
                ],
            },
        ],
    };
}

const vpcEndpoint: Rule = {
    doc: { from: "`network`", inputs: "`vpcEndpointType` (Gateway is free), `subnetIds`" },
    steps: [
        read("given", { input: "vpcEndpointType", as: "text" }),
        stop({ unknown: "$given" }, unknown(["vpcEndpointType"])),
        set("type", { first: ["$given", "Gateway"] }),
        stop({ eq: ["$type", "Gateway"] }, free("gateway endpoints (S3, DynamoDB) have no charge")),
        stop({ not: { eq: ["$type", "Interface"] } }, unpriced("no price in the snapshot for {type:q} VPC endpoints")),
        read("subnets", { input: "subnetIds", as: "list" }),
        stop({ unknown: "$subnets" }, unknown(["subnetIds"])),
        set("azs", { max: [1, { len: "$subnets" }] }),
        component({
            label: "interface endpoint hours per AZ",
            table: "network",
            key: "vpc_interface_endpoint_az",
            quantity: "$azs",
            per: "hour",
            term: "{azs:num} AZ × {hours} h × {rate}/h",
            missing: { unpriced: "no price in the snapshot for interface VPC endpoints in {region}" },
        }),
        note("one endpoint interface per subnet", { present: "$subnets" }),
        note("subnetIds unset: 1 AZ", { absent: "$subnets" }),
        note("data processed is usage"),
    ],
};

const FLAT = { from: "`network`", inputs: "—" };

export const NETWORK: Rules = {
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": eip,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer(),
    "aws:alb/loadBalancer:LoadBalancer": loadBalancer(),
    "aws:applicationloadbalancing/loadBalancer:LoadBalancer": loadBalancer(),
    "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer": loadBalancer(),
    "aws:elb/loadBalancer:LoadBalancer": loadBalancer("classic"),
    "aws:elasticloadbalancing/loadBalancer:LoadBalancer": loadBalancer("classic"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": hourly(FLAT, "network", "transit_gateway_attachment", "Transit Gateway attachment", "data processed is usage"),
    "aws:ec2/vpnConnection:VpnConnection": hourly(FLAT, "network", "vpn_connection", "Site-to-Site VPN connection", "data transfer is usage"),
    "aws:ec2clientvpn/networkAssociation:NetworkAssociation": hourly(FLAT, "network", "client_vpn_association", "Client VPN endpoint association", "connections are usage"),
};
