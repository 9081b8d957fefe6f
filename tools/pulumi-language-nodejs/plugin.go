package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// pluginOutput serialises the messages of one RunPlugin stream.
type pluginOutput struct {
	mu     sync.Mutex
	stream grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]
}

func (o *pluginOutput) send(msg *pulumirpc.RunPluginResponse) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.stream.Send(msg)
}

func (o *pluginOutput) stdout(p []byte) error {
	return o.send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: append([]byte(nil), p...)},
	})
}

func (o *pluginOutput) stderr(p []byte) error {
	return o.send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: append([]byte(nil), p...)},
	})
}

func (o *pluginOutput) exit(code int) error {
	return o.send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)},
	})
}

// exitCode converts the result of exec.Cmd.Wait into a process exit code.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.Signaled() {
			return 128 + int(status.Signal())
		}
		return exitErr.ExitCode()
	}
	return 1
}

// RunPlugin runs a Node.js policy pack (kind "analyzer") or plugin (other kinds, e.g. a
// PulumiPlugin.yaml provider), streaming its stdout/stderr and exit code to the engine.
func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, stream grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	out := &pluginOutput{stream: stream}
	dir := programDir(req.GetInfo(), req.GetProgram(), req.GetPwd())
	opts := parseOptions(req.GetInfo())

	env := req.GetEnv()
	if len(env) == 0 {
		env = os.Environ()
	}
	env = append(append([]string{}, env...), opts.env()...)

	node, err := nodeExecutable()
	if err != nil {
		_ = out.stderr([]byte(err.Error() + "\n"))
		return out.exit(1)
	}
	sdk, err := resolveSDK(dir)
	if err != nil {
		if req.GetKind() == "analyzer" {
			// The engine recognises this message and tells the user to install the policy
			// pack's dependencies.
			_ = out.stderr([]byte("Cannot find module '@pulumi/pulumi/cmd/run-policy-pack'\n"))
		}
		_ = out.stderr([]byte(err.Error() + "\n"))
		// Give the engine's stderr reader a moment before stdout reaches EOF.
		time.Sleep(200 * time.Millisecond)
		return out.exit(1)
	}

	if req.GetKind() == "analyzer" {
		engine := parseArgs(req.GetArgs()).engineAddress
		return runPolicyPack(stream.Context(), out, policyLaunch{
			node:   node,
			args:   append(append([]string{}, opts.nodeargs...), filepath.Join(sdk, "cmd", "run-policy-pack"), engine, dir),
			dir:    dir,
			env:    env,
			engine: engine,
		})
	}

	// run-plugin takes the plugin directory followed by the plugin's own arguments; "--"
	// keeps the engine's flags (e.g. --tracing) away from run-plugin's option parser.
	args := append([]string{}, opts.nodeargs...)
	args = append(args, filepath.Join(sdk, "cmd", "run-plugin"), "--", dir)
	args = append(args, req.GetArgs()...)
	cmd := exec.CommandContext(stream.Context(), node, args...)
	cmd.Dir = req.GetPwd()
	if cmd.Dir == "" {
		cmd.Dir = dir
	}
	cmd.Env = env
	cmd.Stdout = writerFunc(out.stdout)
	cmd.Stderr = writerFunc(out.stderr)
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if stream.Context().Err() != nil {
		return stream.Context().Err()
	}
	return out.exit(exitCode(err))
}
