#!/usr/bin/env node
// `npm run demo`: agentguard end to end on this machine, with a temporary local Pulumi backend and
// the offline aws/cloudflare simulators (no cloud is touched):
//   1. the platform provisions its agents (stacks/agents: a role, a boundary, a budget, a token each)
//   2. two approvers create keys; the pack config is generated from the same agent registry
//   3. agent "deploy-bot" previews its app stack on "prod" — production, a domain purchase, a
//      dynamic provider — and is stopped; the denial says what to sign
//   4. the approvers sign exactly that, the tokens go into stack config, the preview passes
//   5. the decision log shows both runs
// Exits non-zero as soon as a step does not behave as shown.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "dist/cli/main.js");
const started = Date.now();
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
let step = 0;
const STEPS = 11;

function say(title) {
    step += 1;
    process.stdout.write(`\n${bold(`[${step}/${STEPS}] ${title}`)}\n`);
}
function note(text) {
    process.stdout.write(`      ${text.split("\n").join("\n      ")}\n`);
}
function fail(message) {
    process.stderr.write(`\ndemo failed: ${message}\n`);
    process.exitCode = 1;
    throw new DemoError(message);
}
class DemoError extends Error {}

if (!fs.existsSync(CLI)) {
    process.stderr.write("demo: agentguard is not built yet: run `npm ci` (or `npm run build`) first.\n");
    process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "agentguard-demo-"));
const state = path.join(tmp, "state");
fs.mkdirSync(state);
/** A directory in which `agentguard` is this checkout, for NODE_PATH (what `npm install` in stacks/agents links). */
function linkedPackage() {
    const dir = path.join(tmp, "node_path");
    fs.mkdirSync(dir);
    fs.symlinkSync(ROOT, path.join(dir, "agentguard"), "dir");
    return dir;
}
const env = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_CONFIG_PASSPHRASE: "agentguard-demo",
    PULUMI_HOME: path.join(tmp, ".pulumi"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // stacks/agents imports agentguard/identity: here the package is this checkout (npm install links it the same way).
    NODE_PATH: linkedPackage(),
    AGENTGUARD_DECISION_LOG: path.join(tmp, "decisions.jsonl"),
    NO_COLOR: "1",
};

function run(cmd, args, opts = {}) {
    const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, env: { ...env, ...opts.env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.error) {
        fail(`could not run ${cmd}: ${r.error.message}`);
    }
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}${r.stderr}` };
}
function pulumi(dir, args, extraEnv) {
    return run("pulumi", [...args, "--non-interactive"], { cwd: dir, env: extraEnv });
}
function must(r, what) {
    if (r.code !== 0) {
        fail(`${what} exited with ${r.code}:\n${r.output.split("\n").slice(-25).join("\n")}`);
    }
    return r;
}
function agentguard(args) {
    return run(process.execPath, [CLI, ...args]);
}
/** Copies a stack program into the temp dir (so the repository is not written to). */
function program(name) {
    const dir = path.join(tmp, name);
    fs.cpSync(path.join(ROOT, "stacks", name), dir, { recursive: true, filter: (s) => !s.includes("node_modules") && !/Pulumi\.[^/]+\.yaml$/.test(path.basename(s)) });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}
/** The policy block of pulumi's output, as a person reads it. */
function policySection(output) {
    const start = output.indexOf("Policies:");
    const text = start >= 0 ? output.slice(start) : output;
    const end = text.search(/\n(Resources|Outputs|Duration):/);
    return (end > 0 ? text.slice(0, end) : text).trimEnd();
}

/**
 * Shows the policy block as pulumi prints it, with the per-resource violations after the first
 * three folded into a count (each is one resource's finding; the last, stack-level one sums
 * them up and names the one approval to sign).
 */
function condense(section) {
    const lines = section.split("\n");
    const starts = lines.map((l, i) => (/^\s*- \[(mandatory|advisory)\]/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (starts.length <= 4) {
        return section;
    }
    // A violation runs from its "- [mandatory]" line to the next one (the last to the blank line before Diagnostics).
    const end = (k) => (k + 1 < starts.length ? starts[k + 1] : lines.findIndex((l, i) => i > starts[k] && l.trim() === ""));
    const block = (k) => lines.slice(starts[k], end(k));
    // The summary says what to sign: always shown, with the first findings and the last one.
    const summary = starts.findIndex((_, k) => block(k).join(" ").includes("needs approval for"));
    const keep = [0, 1, 2, summary, starts.length - 1].filter((k, i, all) => k >= 0 && all.indexOf(k) === i);
    const folded = starts.length - keep.length;
    const shown = keep.sort((a, b) => a - b).flatMap((k, i) => [...(i === 3 && folded > 0 ? [`        … ${folded} more violations of the same form, one per gated resource …`] : []), ...block(k)]);
    return [...lines.slice(0, starts[0]), ...shown, ...lines.slice(end(starts.length - 1))].join("\n");
}

function main() {
    say("Preparing the Pulumi engine and the offline cloud simulators");
    note("(the first run on a machine without pulumi builds it from Go modules: about 5 minutes)");
    // Progress of the provisioning goes straight to the terminal; only the PATH is captured.
    const provision = spawnSync("bash", ["-c", 'lines=$(bash scripts/pulumi-env.sh) && eval "$lines" && printf %s "$PATH"'], {
        cwd: ROOT,
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    });
    provision.code = provision.status;
    if (provision.code !== 0) {
        fail("the Pulumi CLI could not be provisioned (see above); install it with `curl -fsSL https://get.pulumi.com | sh` or run `npm run pulumi:env` for details");
    }
    env.PATH = `${path.join(ROOT, "test/simulators/bin")}:${provision.stdout}`;
    note(`${must(run("pulumi", ["version"]), "pulumi version").stdout.trim()}; aws and cloudflare are offline simulators (test/simulators), state in ${state}`);

    say("The platform team provisions its agents from stacks/agents/agents.yaml");
    const agents = program("agents");
    must(pulumi(agents, ["stack", "init", "platform"]), "pulumi stack init");
    const up = must(pulumi(agents, ["up", "--yes", "--skip-preview"]), "pulumi up of stacks/agents");
    const created = (/(\d+) created/.exec(up.output) || [])[1];
    note(`pulumi up: ${created ?? "?"} resources created (per agent: IAM role with SourceIdentity trust, least-privilege policy, permissions boundary, budget with a deny-all action, Cloudflare token)`);
    const outs = JSON.parse(must(pulumi(agents, ["stack", "output", "--json"]), "pulumi stack output").stdout);
    for (const [k, v] of Object.entries(outs)) {
        if (typeof v === "string" || typeof v === "object") {
            note(dim(`${k}: ${typeof v === "string" ? v : JSON.stringify(v).slice(0, 140)}`));
        }
    }

    // alice@example.com owns deploy-bot in the registry, so she never counts as its approver.
    const approverIds = ["bob", "carol"];
    say("Two approvers create keys; the pack config comes from the same registry");
    const entries = [];
    for (const id of approverIds) {
        const key = path.join(tmp, `${id}.agentguard-key.json`);
        const r = agentguard(["keygen", "--id", id, "--out", key]);
        must(r, `agentguard keygen --id ${id}`);
        entries.push(JSON.parse(r.stdout));
        note(`$ agentguard keygen --id ${id}   → ${path.basename(key)} (0600), public entry added to the pack config`);
    }
    const approversFile = path.join(tmp, "approvers.json");
    fs.writeFileSync(approversFile, JSON.stringify(entries));
    const policyConfig = path.join(tmp, "policy-config.json");
    must(agentguard(["config", "--registry", path.join(ROOT, "stacks/agents/agents.yaml"), "--approvers", approversFile, "--out", policyConfig]), "agentguard config");
    const gate = JSON.parse(fs.readFileSync(policyConfig, "utf8"))["agent-change-gate"];
    note(`$ agentguard config --registry stacks/agents/agents.yaml --approvers approvers.json --out policy-config.json`);
    note(dim(`agents: ${JSON.stringify(gate.agents)}`));

    say('Agent "deploy-bot" previews its app on stack "prod": production, a domain purchase, a dynamic provider, an orders table');
    const app = program("app");
    must(pulumi(app, ["stack", "init", "prod"]), "pulumi stack init prod");
    for (const [k, v] of [["agentguard:agent", "deploy-bot"], ["shop:buyDomain", "true"], ["shop:dynamic", "true"], ["shop:database", "true"]]) {
        must(pulumi(app, ["config", "set", k, v]), `pulumi config set ${k}`);
    }
    const asAgent = { AGENTGUARD_INITIATOR: "agent:deploy-bot" };
    const policyArgs = ["--policy-pack", ROOT, "--policy-pack-config", policyConfig];
    const denied = pulumi(app, ["preview", ...policyArgs], asAgent);
    if (denied.code === 0) {
        fail("the agent's preview of production was not stopped");
    }
    const section = policySection(denied.output);
    if (!section.includes("agent-change-gate")) {
        fail(`the preview failed, but not because of agent-change-gate:\n${denied.output.split("\n").slice(-30).join("\n")}`);
    }
    note(`$ AGENTGUARD_INITIATOR=agent:deploy-bot pulumi preview --policy-pack . --policy-pack-config policy-config.json   → exit ${denied.code}`);
    process.stdout.write(`\n${condense(section).split("\n").map((l) => `    ${l}`).join("\n")}\n`);

    say("Bob and Carol sign exactly what the denial asks for (alice owns deploy-bot, so she cannot)");
    const ask = /To cover them all, \d+ approvers \(not "deploy-bot"\) each run: agentguard approve (--key "\$AGENTGUARD_KEY" .*?--ttl \S+) Then/.exec(section.replace(/\s*\n\s*/g, " "));
    if (!ask) {
        fail("the denial did not say which approval to sign");
    }
    const tokens = [];
    for (const id of approverIds) {
        const key = path.join(tmp, `${id}.agentguard-key.json`);
        // Run exactly the text of the denial, through a shell, as an approver pastes it.
        const r = run("bash", ["-c", `"$NODE" "$CLI" approve ${ask[1]}`], { env: { AGENTGUARD_KEY: key, NODE: process.execPath, CLI } });
        must(r, `agentguard approve as ${id}`);
        tokens.push(r.stdout.trim());
        // As the approver would type it: their own key file in place of "$AGENTGUARD_KEY".
        note(`$ agentguard approve ${ask[1].replace('--key "$AGENTGUARD_KEY"', `--key ${path.basename(key)}`)}`);
    }
    const verify = agentguard(["verify", "--policy-config", policyConfig, "--stack", "organization/shop/prod", "--agent", "deploy-bot", ...tokens]);
    must(verify, "agentguard verify");
    note(verify.stdout.trim());
    must(pulumi(app, ["config", "set", "agentguard:approvals", tokens.join(" ")]), "pulumi config set agentguard:approvals");
    note('$ pulumi config set agentguard:approvals "<bob token> <carol token>"   (tokens are signed, not secret; approve --set-config does this)');

    say("deploy-bot previews again");
    const allowed = pulumi(app, ["preview", ...policyArgs], asAgent);
    if (allowed.code !== 0) {
        fail(`the approved preview did not pass:\n${policySection(allowed.output)}`);
    }
    note(`pulumi preview → exit 0: every gated change is covered by two approvals`);
    must(pulumi(app, ["up", "--yes", ...policyArgs], asAgent), "the approved pulumi up");
    note(`pulumi up → exit 0: the site, the domain and the orders table exist`);

    // The second half: a change the pack cannot see. Policies never see deletes (docs/plans.md).
    say("deploy-bot removes the production orders table from its program; the pack alone lets it through");
    must(pulumi(app, ["config", "set", "shop:database", "false"]), "pulumi config set shop:database false");
    const unseen = pulumi(app, ["preview", ...policyArgs], asAgent);
    if (unseen.code !== 0) {
        fail(`the preview of the delete was stopped by the pack, which cannot see deletes:\n${policySection(unseen.output)}`);
    }
    note(`$ pulumi config set shop:database false; pulumi preview --policy-pack …   → exit 0 (the engine never shows a policy pack a delete)`);

    say("CI's plan job saves the plan; its check job (no agent code) stops the delete");
    const planConfig = path.join(tmp, "plan-config.json");
    fs.writeFileSync(planConfig, JSON.stringify({ "agent-change-gate": { ...gate, enforcementLevel: "advisory" } }));
    const plan = path.join(tmp, "plan.json");
    must(pulumi(app, ["preview", "--save-plan", plan, "--policy-pack", ROOT, "--policy-pack-config", planConfig], asAgent), "pulumi preview --save-plan");
    const stateFile = path.join(tmp, "state.json");
    must(pulumi(app, ["stack", "export", "--file", stateFile]), "pulumi stack export");
    note("$ pulumi preview --save-plan plan.json --policy-pack … --policy-pack-config plan-config.json   (the gate advisory: the plan is always written)");
    note("$ pulumi stack export --file state.json");
    const checkArgs = ["plan", "check", "--plan", plan, "--state", stateFile, "--policy-config", policyConfig, "--stack", "organization/shop/prod", "--agent", "deploy-bot"];
    const stopped = agentguard([...checkArgs, "--approvals", tokens.join(" ")]);
    if (stopped.code !== 1) {
        fail(`plan check did not stop the delete (exit ${stopped.code}):\n${stopped.output}`);
    }
    note(`$ agentguard plan check --plan plan.json --state state.json --policy-config policy-config.json --stack organization/shop/prod --agent deploy-bot --approvals "<bob token> <carol token>"   → exit 1`);
    note(stopped.stdout.trim().split(tmp + path.sep).join(""));

    say("Bob and Carol sign that exact plan");
    const askPlan = /each run: agentguard approve (--key "\$AGENTGUARD_KEY" .*?--ttl \S+)/.exec(stopped.stdout.replace(/\s*\n\s*/g, " "));
    if (!askPlan) {
        fail("plan check did not say which approval to sign");
    }
    const planTokens = [];
    for (const id of approverIds) {
        const key = path.join(tmp, `${id}.agentguard-key.json`);
        const r = run("bash", ["-c", `"$NODE" "$CLI" approve ${askPlan[1]}`], { env: { AGENTGUARD_KEY: key, NODE: process.execPath, CLI } });
        must(r, `agentguard approve --plan as ${id}`);
        planTokens.push(r.stdout.trim());
        note(`$ agentguard approve ${askPlan[1].replace('--key "$AGENTGUARD_KEY"', `--key ${path.basename(key)}`).split(tmp + path.sep).join("")}`);
    }
    const all = [...tokens, ...planTokens].join(" ");
    const approved = agentguard([...checkArgs, "--approvals", all]);
    if (approved.code !== 0) {
        fail(`plan check did not pass the signed plan:\n${approved.output}`);
    }
    note(`$ agentguard plan check … --approvals "<4 tokens>"   → exit 0`);
    note(approved.stdout.trim().split("\n").slice(-1)[0]);

    say("The apply job: up --plan applies exactly that plan; a changed program is refused");
    // The plan's tokens go in the environment: stack config is the build stamp's (a dynamic
    // provider's) input, so adding them there would change the plan (docs/plans.md).
    const applyEnv = { ...asAgent, AGENTGUARD_PLAN: plan, AGENTGUARD_APPROVALS: planTokens.join(" ") };
    must(pulumi(app, ["config", "set", "shop:siteName", "acme-site-elsewhere"]), "pulumi config set shop:siteName");
    const changed = pulumi(app, ["up", "--yes", "--plan", plan, ...policyArgs], applyEnv);
    if (changed.code === 0) {
        fail("up --plan applied a program that departs from the approved plan");
    }
    note('$ pulumi config set shop:siteName acme-site-elsewhere; AGENTGUARD_APPROVALS="<2 plan tokens>" AGENTGUARD_PLAN=$PWD/plan.json pulumi up --plan plan.json …   → refused: the change is not in the plan');
    must(pulumi(app, ["config", "rm", "shop:siteName"]), "pulumi config rm shop:siteName");
    must(pulumi(app, ["up", "--yes", "--plan", plan, ...policyArgs], applyEnv), "pulumi up --plan");
    if (must(pulumi(app, ["stack", "export"]), "pulumi stack export").stdout.includes("aws:dynamodb/table:Table::orders")) {
        fail("the approved plan was applied but the orders table still exists");
    }
    note('$ AGENTGUARD_APPROVALS="<2 plan tokens>" AGENTGUARD_PLAN=$PWD/plan.json pulumi up --plan plan.json …   → exit 0: the orders table is deleted, as the approvers saw');

    say("The decision log");
    const lines = fs.readFileSync(env.AGENTGUARD_DECISION_LOG, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const runs = lines.filter((l) => l.stack === "organization/shop/prod");
    if (runs.length < 2 || runs[0].decision !== "deny" || runs.at(-1).decision !== "allow") {
        fail("the decision log does not show the denied and then the allowed run");
    }
    const kept = path.join(os.tmpdir(), "agentguard-demo-decisions.jsonl");
    fs.copyFileSync(env.AGENTGUARD_DECISION_LOG, kept);
    note(`${kept} (AGENTGUARD_DECISION_LOG: one JSON line per run, also when denied; no tokens, no secrets)`);
    for (const l of runs) {
        const gates = [...new Set(l.gates.map((g) => g.gate))].join(", ");
        note(`${l.time}  ${l.initiator.kind}:${l.initiator.id}  ${l.decision.toUpperCase().padEnd(5)}  gates: ${gates}  approvedBy: ${[...new Set(l.gates.flatMap((g) => g.approvedBy))].join(", ") || "—"}`);
    }
    process.stdout.write(`\n${bold("Demo complete")} in ${Math.round((Date.now() - started) / 1000)}s. Everything ran on a temporary local backend, now removed; the decision log is kept.\n`);
}

try {
    main();
} catch (e) {
    if (!(e instanceof DemoError)) {
        process.stderr.write(`\ndemo failed: ${e && e.message ? e.message : String(e)}\n`);
        process.exitCode = 1;
    }
} finally {
    fs.rmSync(tmp, { recursive: true, force: true });
}
