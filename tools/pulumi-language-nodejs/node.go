package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// errNoSDK reports that @pulumi/pulumi cannot be resolved from a directory.
var errNoSDK = errors.New("the Pulumi SDK is not installed")

// nodeExecutable returns the node binary to use (PULUMI_NODEJS_NODE overrides PATH).
func nodeExecutable() (string, error) {
	if p := os.Getenv("PULUMI_NODEJS_NODE"); p != "" {
		return p, nil
	}
	p, err := exec.LookPath("node")
	if err != nil {
		return "", errors.New("could not find `node` on PATH; install Node.js (>= 20) and try again")
	}
	return p, nil
}

// resolveSDK returns the directory of the @pulumi/pulumi package that a program in dir
// would load, using Node.js' own module resolution from that directory.
func resolveSDK(dir string) (string, error) {
	node, err := nodeExecutable()
	if err != nil {
		return "", err
	}
	const script = `process.stdout.write(require.resolve("@pulumi/pulumi/package.json", {paths: [process.argv[1]]}))`
	cmd := exec.Command(node, "-e", script, dir)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if strings.Contains(stderr.String(), "Cannot find module") {
			return "", fmt.Errorf("%w: Node.js cannot resolve @pulumi/pulumi from %s; "+
				"have you run `npm install` (or yarn/pnpm install) there?", errNoSDK, dir)
		}
		return "", fmt.Errorf("%w: resolving @pulumi/pulumi from %s failed: %v: %s",
			errNoSDK, dir, err, strings.TrimSpace(stderr.String()))
	}
	return filepath.Dir(strings.TrimSpace(stdout.String())), nil
}

// runtimeOptions are the `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml /
// PulumiPlugin.yaml that this host understands.
type runtimeOptions struct {
	typescript     bool     // default true, as with the official host
	nodeargs       []string // extra arguments for node
	tsconfig       string   // path of the tsconfig to use
	packagemanager string   // npm (default), yarn, pnpm or bun
}

func parseOptions(info *pulumirpc.ProgramInfo) runtimeOptions {
	o := runtimeOptions{typescript: true}
	if info == nil || info.Options == nil {
		return o
	}
	f := info.Options.GetFields()
	if v, ok := f["typescript"]; ok {
		o.typescript = truthy(v)
	}
	if v, ok := f["nodeargs"]; ok {
		o.nodeargs = strings.Fields(v.GetStringValue())
	}
	if v, ok := f["tsconfig"]; ok {
		o.tsconfig = v.GetStringValue()
	}
	if v, ok := f["packagemanager"]; ok {
		o.packagemanager = v.GetStringValue()
	}
	return o
}

func truthy(v *structpb.Value) bool {
	switch k := v.GetKind().(type) {
	case *structpb.Value_BoolValue:
		return k.BoolValue
	case *structpb.Value_StringValue:
		return k.StringValue == "true"
	case *structpb.Value_NumberValue:
		return k.NumberValue != 0
	}
	return false
}

// env returns the environment variables that carry the runtime options to cmd/run.
func (o runtimeOptions) env() []string {
	e := []string{fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", o.typescript)}
	if o.tsconfig != "" {
		e = append(e, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return e
}

// programDir returns the directory of the program or plugin described by info, falling
// back to the given alternatives (deprecated request fields) when info is empty.
func programDir(info *pulumirpc.ProgramInfo, fallbacks ...string) string {
	if info != nil && info.ProgramDirectory != "" {
		return info.ProgramDirectory
	}
	for _, f := range fallbacks {
		if f != "" {
			return f
		}
	}
	wd, _ := os.Getwd()
	return wd
}

// packageDir returns the directory holding the package.json of a program: the program
// directory, or failing that the project root directory.
func packageDir(info *pulumirpc.ProgramInfo, fallback string) string {
	dir := programDir(info, fallback)
	if fileExists(filepath.Join(dir, "package.json")) {
		return dir
	}
	if info != nil && info.RootDirectory != "" && fileExists(filepath.Join(info.RootDirectory, "package.json")) {
		return info.RootDirectory
	}
	return dir
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
