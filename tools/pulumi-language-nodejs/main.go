// Command pulumi-language-nodejs is a minimal Pulumi language host for Node.js
// programs, policy packs and plugins, written for agentguard.
//
// It stands in for the official host (github.com/pulumi/pulumi/sdk/nodejs/cmd/
// pulumi-language-nodejs/v3) on machines whose Go module proxy does not serve
// that module. It speaks the public LanguageRuntime gRPC protocol from
// github.com/pulumi/pulumi/sdk/v3/proto/go and delegates the actual work to the
// Node.js entry points shipped in the npm package @pulumi/pulumi of the program
// (cmd/run, cmd/run-policy-pack, cmd/run-plugin). See tools/README.md.
//
// The engine launches it like any plugin:
//
//	pulumi-language-nodejs [--logtostderr] [-v=N] [--tracing URL] [-root DIR] <engine-address>
//
// It prints the port of its gRPC server on stdout and serves until killed.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// maxRPCMessageSize matches the limit the engine uses for its own channels.
const maxRPCMessageSize = 400 * 1024 * 1024

// flagsWithValue are the flags that take a separate value argument when not written
// as -flag=value. Every other flag is treated as a boolean switch and ignored.
var flagsWithValue = map[string]bool{
	"tracing": true,
	"root":    true,
	"v":       true,
	"binary":  true,
	"name":    true,
}

type options struct {
	engineAddress string
	tracing       string
	root          string
	verbose       int
	showVersion   bool
}

// parseArgs parses the engine's plugin command line tolerantly: unknown flags must not
// stop the host from starting, as the engine may add logging or tracing flags.
func parseArgs(args []string) options {
	var o options
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		value, hasValue := "", false
		if k, v, ok := strings.Cut(name, "="); ok {
			name, value, hasValue = k, v, true
		}
		if !hasValue && flagsWithValue[name] && i+1 < len(args) {
			i++
			value = args[i]
		}
		switch name {
		case "tracing":
			o.tracing = value
		case "root":
			o.root = value
		case "v":
			o.verbose, _ = strconv.Atoi(value)
		case "version":
			o.showVersion = true
		}
	}
	if len(positional) > 0 {
		// The engine passes its address as the last positional argument.
		o.engineAddress = positional[len(positional)-1]
	}
	return o
}

func hostVersion() string {
	if version.Version != "" {
		return version.Version
	}
	return "v0.0.0-dev"
}

func main() {
	opts := parseArgs(os.Args[1:])
	if opts.showVersion {
		fmt.Println(hostVersion())
		return
	}

	host := newHost(opts)

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "fatal: pulumi-language-nodejs could not listen: %v\n", err)
		os.Exit(1)
	}
	srv := grpc.NewServer(
		grpc.MaxRecvMsgSize(maxRPCMessageSize),
		grpc.MaxSendMsgSize(maxRPCMessageSize),
	)
	pulumirpc.RegisterLanguageRuntimeServer(srv, host)

	// The engine reads exactly one line from stdout: our port.
	fmt.Printf("%d\n", lis.Addr().(*net.TCPAddr).Port)

	// The engine stops plugins by signalling the whole process group (SIGINT, then
	// SIGKILL); the default Go signal behaviour (exit) is what we want, and the Node.js
	// processes we start are in the same group, so they are stopped too.
	if err := srv.Serve(lis); err != nil {
		fmt.Fprintf(os.Stderr, "fatal: pulumi-language-nodejs stopped serving: %v\n", err)
		os.Exit(1)
	}
}
