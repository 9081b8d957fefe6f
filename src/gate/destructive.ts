/**
 * Gate `destructive` (docs/plans.md): a delete or replace that the pack cannot see, raised by
 * `agentguard plan check` from a saved plan (or a whole-stack destroy). A delete or replace of a
 * resource in production or staging, or of a data-bearing type anywhere, needs approval (how many: table.ts).
 * Only a token with `scope.destructive: true` bound to this very plan (or, for a destroy, this
 * very state export) covers it: the approvers saw the exact change.
 */
import { GateConfig } from "./config";
import { EnvironmentFinding, resourceEnvironment } from "./environment";
import { ResourceFacts } from "../facts/facts";
import { GateItem } from "./items";

/**
 * Types whose delete or replace loses data or something that cannot be had back: databases,
 * buckets, volumes, file systems, snapshots, caches with data, DNS zones, domains, keys, secrets.
 * A reviewed list: a type is added here after reading what its delete destroys.
 */
export const DATA_BEARING_TYPES: ReadonlySet<string> = new Set([
    // AWS databases and their snapshots
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:rds/globalCluster:GlobalCluster",
    "aws:rds/snapshot:Snapshot",
    "aws:rds/clusterSnapshot:ClusterSnapshot",
    "aws:dynamodb/table:Table",
    "aws:dynamodb/globalTable:GlobalTable",
    "aws:docdb/cluster:Cluster",
    "aws:neptune/cluster:Cluster",
    "aws:redshift/cluster:Cluster",
    "aws:redshiftserverless/namespace:Namespace",
    "aws:keyspaces/table:Table",
    "aws:timestreamwrite/table:Table",
    "aws:opensearch/domain:Domain",
    "aws:opensearch/serverlessCollection:ServerlessCollection",
    "aws:elasticsearch/domain:Domain",
    "aws:dynamodb/tableReplica:TableReplica",
    "aws:dsql/cluster:Cluster",
    "aws:qldb/ledger:Ledger",
    "aws:timestreamwrite/database:Database",
    "aws:timestreaminfluxdb/dbInstance:DbInstance",
    "aws:neptunegraph/graph:Graph",
    "aws:lightsail/database:Database",
    // brokers and streaming clusters holding messages
    "aws:msk/cluster:Cluster",
    "aws:msk/serverlessCluster:ServerlessCluster",
    "aws:mq/broker:Broker",
    // caches with data
    "aws:elasticache/cluster:Cluster",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:elasticache/serverlessCache:ServerlessCache",
    "aws:memorydb/cluster:Cluster",
    "aws:memorydb/snapshot:Snapshot",
    "aws:dax/cluster:Cluster",
    // buckets, objects, queues and streams holding data
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketObject:BucketObject",
    "aws:s3/bucketObjectv2:BucketObjectv2",
    "aws:s3/directoryBucket:DirectoryBucket",
    "aws:s3tables/tableBucket:TableBucket",
    "aws:s3tables/table:Table",
    "aws:lightsail/bucket:Bucket",
    "aws:glacier/vault:Vault",
    "aws:backup/vault:Vault",
    "aws:sqs/queue:Queue",
    "aws:kinesis/stream:Stream",
    "aws:ecr/repository:Repository",
    "aws:codecommit/repository:Repository",
    "aws:cloudwatch/logGroup:LogGroup",
    // volumes, file systems, snapshots
    "aws:ebs/volume:Volume",
    "aws:ebs/snapshot:Snapshot",
    "aws:ebs/snapshotCopy:SnapshotCopy",
    "aws:ec2/ami:Ami",
    "aws:lightsail/disk:Disk",
    "aws:efs/fileSystem:FileSystem",
    "aws:fsx/lustreFileSystem:LustreFileSystem",
    "aws:fsx/windowsFileSystem:WindowsFileSystem",
    "aws:fsx/ontapFileSystem:OntapFileSystem",
    "aws:fsx/openZfsFileSystem:OpenZfsFileSystem",
    // DNS zones and domains
    "aws:route53/zone:Zone",
    "aws:route53domains/registeredDomain:RegisteredDomain",
    "aws:route53domains/domain:Domain",
    // keys and secrets
    "aws:kms/key:Key",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/externalKey:ExternalKey",
    // user directories
    "aws:cognito/userPool:UserPool",
    "aws:secretsmanager/secret:Secret",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:ssm/parameter:Parameter",
    "aws:acmpca/certificateAuthority:CertificateAuthority",
    // Cloudflare
    "cloudflare:index/zone:Zone",
    "cloudflare:index/registrarDomain:RegistrarDomain",
    "cloudflare:index/r2Bucket:R2Bucket",
    "cloudflare:index/d1Database:D1Database",
    "cloudflare:index/workersKvNamespace:WorkersKvNamespace",
    "cloudflare:index/queue:Queue",
    "cloudflare:index/secretsStore:SecretsStore",
    "cloudflare:index/secretsStoreSecret:SecretsStoreSecret",
    "cloudflare:index/apiToken:ApiToken",
    "cloudflare:index/accountToken:AccountToken",
    "cloudflare:index/stream:Stream",
    // reviewed in a second pass: images, snapshots and copies, repositories, directories, stores,
    // archives and whole accounts (a delete of an account closes everything in it)
    "aws:amp/workspace:Workspace",
    "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
    "aws:cloudtrail/eventDataStore:EventDataStore",
    "aws:codeartifact/repository:Repository",
    "aws:codecatalyst/sourceRepository:SourceRepository",
    "aws:connect/instance:Instance",
    "aws:customerprofiles/domain:Domain",
    "aws:directoryservice/directory:Directory",
    "aws:docdb/clusterSnapshot:ClusterSnapshot",
    "aws:docdb/elasticCluster:ElasticCluster",
    "aws:docdb/globalCluster:GlobalCluster",
    "aws:ebs/snapshotImport:SnapshotImport",
    "aws:ebs/volumeCopy:VolumeCopy",
    "aws:ec2/amiCopy:AmiCopy",
    "aws:ec2/amiFromInstance:AmiFromInstance",
    "aws:ecrpublic/repository:Repository",
    "aws:finspace/kxDatabase:KxDatabase",
    "aws:fsx/backup:Backup",
    "aws:fsx/ontapVolume:OntapVolume",
    "aws:fsx/openZfsSnapshot:OpenZfsSnapshot",
    "aws:fsx/openZfsVolume:OpenZfsVolume",
    "aws:keyspaces/keyspace:Keyspace",
    "aws:kms/replicaExternalKey:ReplicaExternalKey",
    "aws:lightsail/domain:Domain",
    "aws:mailmanager/archive:Archive",
    "aws:mediastore/container:Container",
    "aws:neptune/clusterSnapshot:ClusterSnapshot",
    "aws:neptune/globalCluster:GlobalCluster",
    "aws:odb/cloudAutonomousVmCluster:CloudAutonomousVmCluster",
    "aws:odb/cloudVmCluster:CloudVmCluster",
    "aws:organizations/account:Account",
    "aws:paymentcryptography/key:Key",
    "aws:quicksight/accountSubscription:AccountSubscription",
    "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy",
    "aws:rds/snapshotCopy:SnapshotCopy",
    "aws:redshift/clusterSnapshot:ClusterSnapshot",
    "aws:redshiftserverless/snapshot:Snapshot",
    "aws:rekognition/collection:Collection",
    "aws:s3/vectorsIndex:VectorsIndex",
    "aws:s3/vectorsVectorBucket:VectorsVectorBucket",
    "aws:storagegateway/cachesIscsiVolume:CachesIscsiVolume",
    "aws:storagegateway/storedIscsiVolume:StoredIscsiVolume",
    "aws:timestreaminfluxdb/dbCluster:DbCluster",
    "aws:workmail/organization:Organization",
    "aws:workmail/user:User",
    "cloudflare:index/account:Account",
    // and what cannot be had back once released or emptied: addresses and phone numbers, topics,
    // archives, registries, user directories, generated client secrets
    "aws:bedrock/agentcoreMemory:AgentcoreMemory",
    "aws:cloudhsmv2/cluster:Cluster",
    "aws:cloudsearch/domain:Domain",
    "aws:cloudwatch/eventArchive:EventArchive",
    "aws:cloudwatch/logStream:LogStream",
    "aws:codeartifact/domain:Domain",
    "aws:connect/phoneNumber:PhoneNumber",
    "aws:dataexchange/dataSet:DataSet",
    "aws:datazone/domain:Domain",
    "aws:dynamodb/tableItem:TableItem",
    "aws:ec2/eip:Eip",
    "aws:finspace/kxVolume:KxVolume",
    "aws:fsx/ontapStorageVirtualMachine:OntapStorageVirtualMachine",
    "aws:glue/catalogDatabase:CatalogDatabase",
    "aws:glue/catalogTable:CatalogTable",
    "aws:grafana/workspace:Workspace",
    "aws:iam/accessKey:AccessKey",
    "aws:identitystore/user:User",
    "aws:kinesis/videoStream:VideoStream",
    "aws:lightsail/staticIp:StaticIp",
    "aws:location/geofenceCollection:GeofenceCollection",
    "aws:location/tracker:Tracker",
    "aws:memorydb/multiRegionCluster:MultiRegionCluster",
    "aws:msk/topic:Topic",
    "aws:pinpoint/app:App",
    "aws:pinpoint/smsvoicev2OptOutList:Smsvoicev2OptOutList",
    "aws:pinpoint/smsvoicev2PhoneNumber:Smsvoicev2PhoneNumber",
    "aws:quicksight/namespace:Namespace",
    "aws:rds/shardGroup:ShardGroup",
    "aws:sagemaker/featureGroup:FeatureGroup",
    "aws:sagemaker/mlflowTrackingServer:MlflowTrackingServer",
    "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
    "aws:sagemaker/notebookInstance:NotebookInstance",
    "aws:sesv2/contactList:ContactList",
    "cloudflare:index/accessServiceToken:AccessServiceToken",
    "cloudflare:index/image:Image",
    "cloudflare:index/workersKv:WorkersKv",
    "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken",
    // generated secrets and keys: a replace rotates them, a delete loses them
    "random:index/randomPassword:RandomPassword",
    "tls:index/privateKey:PrivateKey",
]);

/** What is being destroyed: a resource the plan deletes or replaces. */
export type DestructiveStep = "delete" | "replace";

/** Which approval binds: a saved plan's digest, or a state export's digest for a whole destroy. */
export interface PlanBinding {
    readonly kind: "plan" | "destroy";
    /** `sha256:<hex>` of the file's exact bytes. */
    readonly digest: string;
}

/** The item of a delete or replace in production or staging, or of a data-bearing type anywhere. */
export function destructiveItems(r: ResourceFacts, step: DestructiveStep, agent: string, stackEnv: EnvironmentFinding, config: GateConfig, binding: PlanBinding): GateItem[] {
    if (r.kind === "component") {
        return [];
    }
    const env = resourceEnvironment(r, stackEnv, config).level;
    const data = DATA_BEARING_TYPES.has(r.type);
    if (env === "development" && !data) {
        return [];
    }
    const why = [env !== "development" ? `in ${env}` : "", data ? "holding data" : ""].filter((s) => s !== "").join(", ");
    const verb = step === "delete" ? "delete" : "replace (delete and create anew)";
    return [
        {
            level: "resource",
            resource: r.urn,
            need: { gate: "destructive", binding: binding.kind, digest: binding.digest, environment: env, dataBearing: data },
            observed: `agent "${agent}" would ${verb} "${r.urn}" (${why})${binding.kind === "destroy" ? " by destroying the stack" : ""}`,
        },
    ];
}
