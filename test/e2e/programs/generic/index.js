// A generic program for the e2e suite: it declares whatever config "shop:resources" lists, so
// each test can describe its stack as data. Resources go to the offline provider simulators.
"use strict";
const pulumi = require("@pulumi/pulumi");

const config = new pulumi.Config("shop");
const specs = config.requireObject("resources");
const made = {};
const providers = {};

// A dynamic provider: the package "pulumi-nodejs", off every allowlist by default.
const noteProvider = {
    async create(inputs) {
        return { id: `note-${inputs.text.length}`, outs: inputs };
    },
};

// "secret": ["domainName", "tags.Owner", "assumeRoles.0.roleArn"] marks those inputs pulumi.secret.
function withSecrets(props, paths) {
    for (const p of paths || []) {
        const keys = p.split(".");
        let at = props;
        for (const k of keys.slice(0, -1)) {
            at = at[k];
        }
        const last = keys[keys.length - 1];
        at[last] = pulumi.secret(at[last]);
    }
    return props;
}

for (const spec of specs) {
    if (spec.kind === "provider") {
        providers[spec.name] = new pulumi.ProviderResource(spec.package, spec.name, withSecrets(JSON.parse(JSON.stringify(spec.props || {})), spec.secret));
        continue;
    }
    if (spec.kind === "dynamic") {
        made[spec.name] = new pulumi.dynamic.Resource(noteProvider, spec.name, { text: spec.text || "hello" });
        continue;
    }
    if (spec.kind === "component") {
        made[spec.name] = new pulumi.ComponentResource(spec.type, spec.name, {}, {});
        continue;
    }
    const props = withSecrets(JSON.parse(JSON.stringify(spec.props || {})), spec.secret);
    // "fromId": {"prop": "instanceType", "of": "param", "value": "m5.large"} sets an input to
    // `value` once resource "of" exists: unknown during a preview that creates "of".
    if (spec.fromId) {
        props[spec.fromId.prop] = made[spec.fromId.of].id.apply(() => spec.fromId.value);
    }
    const opts = {};
    if (spec.provider) {
        opts.provider = providers[spec.provider];
    }
    // "pluginDownloadURL": the resource option; the engine then starts a default provider whose
    // name carries the URL.
    if (spec.pluginDownloadURL) {
        opts.pluginDownloadURL = spec.pluginDownloadURL;
    }
    made[spec.name] = new pulumi.CustomResource(spec.type, spec.name, props, opts);
}

exports.count = specs.length;
