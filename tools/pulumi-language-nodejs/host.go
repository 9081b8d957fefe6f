package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// exitAlreadyReported is the exit code @pulumi/pulumi's cmd/run uses when it has
// already shown the error to the user: the engine should stop without adding more.
const exitAlreadyReported = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	tracing       string
}

func newHost(o options) *host {
	return &host{engineAddress: o.engineAddress, tracing: o.tracing}
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// Handshake is only used by the engine when attaching to an already running host
// (PULUMI_DEBUG_LANGUAGES); it carries the engine address.
func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: hostVersion()}, nil
}

// GetRequiredPlugins reports no plugins: this host does not discover or install
// provider plugins; they must already be installed or on PATH.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages reports no packages, for the same reason as GetRequiredPlugins.
func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// Run executes a Pulumi program with @pulumi/pulumi's cmd/run. The program's output goes
// to our own stdout/stderr, which the engine shows as diagnostics.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	pwd := req.GetPwd()
	if pwd == "" {
		pwd = dir
	}
	entry := "."
	if req.GetInfo() != nil && req.GetInfo().GetEntryPoint() != "" {
		entry = req.GetInfo().GetEntryPoint()
	} else if req.GetProgram() != "" { //nolint:staticcheck // older engines
		entry = req.GetProgram() //nolint:staticcheck
	}
	// cmd/run treats "." as "the package in --pwd" (package.json main/exports); anything
	// else is resolved relative to --pwd, so make it absolute when pwd differs.
	program := entry
	if !filepath.IsAbs(program) && (entry != "." || filepath.Clean(pwd) != filepath.Clean(dir)) {
		program = filepath.Join(dir, entry)
	}

	sdk, err := resolveSDK(dir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := nodeExecutable()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	opts := parseOptions(req.GetInfo())

	args := append([]string{}, opts.nodeargs...)
	args = append(args, filepath.Join(sdk, "cmd", "run"),
		"--monitor="+req.GetMonitorAddress(),
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+pwd,
	)
	if e := h.engine(); e != "" {
		args = append(args, "--engine="+e)
	}
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	if req.GetInfo().GetRootDirectory() != "" {
		args = append(args, "--root-directory="+req.GetInfo().GetRootDirectory())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		args = append(args, "--parallel="+strconv.Itoa(int(req.GetParallel())))
	}
	if h.tracing != "" {
		args = append(args, "--tracing="+h.tracing)
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(nonNil(req.GetConfig()))
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(nonNilSlice(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, err
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = pwd
	cmd.Env = append(os.Environ(), opts.env()...)
	cmd.Env = append(cmd.Env, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr

	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.Signaled() {
				return &pulumirpc.RunResponse{
					Error: fmt.Sprintf("Program was terminated by signal %v", status.Signal()),
				}, nil
			}
			switch code := exitErr.ExitCode(); code {
			case exitAlreadyReported:
				return &pulumirpc.RunResponse{Bail: true}, nil
			default:
				return &pulumirpc.RunResponse{
					Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code),
				}, nil
			}
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run node): %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// InstallDependencies installs a program's npm dependencies when node_modules is missing.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := packageDir(req.GetInfo(), req.GetDirectory())
	var mu sync.Mutex
	send := func(stdout, stderr []byte) error {
		mu.Lock()
		defer mu.Unlock()
		return stream.Send(&pulumirpc.InstallDependenciesResponse{Stdout: stdout, Stderr: stderr})
	}
	if !fileExists(filepath.Join(dir, "package.json")) {
		return send([]byte(fmt.Sprintf("No package.json in %s; nothing to install.\n", dir)), nil)
	}
	if fileExists(filepath.Join(dir, "node_modules")) {
		return send([]byte(fmt.Sprintf("node_modules present in %s; skipping dependency installation.\n", dir)), nil)
	}

	opts := parseOptions(req.GetInfo())
	name, args := installCommand(dir, opts.packagemanager)
	bin, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("could not find %s on PATH to install dependencies in %s", name, dir)
	}
	if err := send([]byte(fmt.Sprintf("Installing dependencies in %s: %s %s\n", dir, name, strings.Join(args, " "))), nil); err != nil {
		return err
	}

	cmd := exec.CommandContext(stream.Context(), bin, args...)
	cmd.Dir = dir
	cmd.Stdout = writerFunc(func(p []byte) error { return send(append([]byte(nil), p...), nil) })
	cmd.Stderr = writerFunc(func(p []byte) error { return send(nil, append([]byte(nil), p...)) })
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("`%s %s` failed in %s: %w", name, strings.Join(args, " "), dir, err)
	}
	return send([]byte("Finished installing dependencies\n"), nil)
}

// installCommand picks the package manager (option, else lock file, else npm).
func installCommand(dir, packagemanager string) (string, []string) {
	pm := packagemanager
	if pm == "" || pm == "auto" {
		switch {
		case fileExists(filepath.Join(dir, "yarn.lock")):
			pm = "yarn"
		case fileExists(filepath.Join(dir, "pnpm-lock.yaml")):
			pm = "pnpm"
		case fileExists(filepath.Join(dir, "bun.lockb")), fileExists(filepath.Join(dir, "bun.lock")):
			pm = "bun"
		default:
			pm = "npm"
		}
	}
	switch pm {
	case "yarn", "pnpm", "bun":
		return pm, []string{"install"}
	default:
		if fileExists(filepath.Join(dir, "package-lock.json")) || fileExists(filepath.Join(dir, "npm-shrinkwrap.json")) {
			return "npm", []string{"ci", "--no-audit", "--no-fund"}
		}
		return "npm", []string{"install", "--no-audit", "--no-fund"}
	}
}

// About reports the node executable and version.
func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := nodeExecutable()
	if err != nil {
		return nil, err
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("failed to run %s --version: %w", node, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
		Metadata:   map[string]string{"languageHost": "agentguard minimal pulumi-language-nodejs " + hostVersion()},
	}, nil
}

// GetProgramDependencies lists the direct dependencies declared in package.json, with
// the version installed in node_modules when it can be read (else the declared range).
func (h *host) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := packageDir(req.GetInfo(), req.GetPwd()) //nolint:staticcheck
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return resp, nil
	}
	var pkg struct {
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, fmt.Errorf("could not parse %s: %w", filepath.Join(dir, "package.json"), err)
	}
	deps := map[string]string{}
	for k, v := range pkg.DevDependencies {
		deps[k] = v
	}
	for k, v := range pkg.Dependencies {
		deps[k] = v
	}
	names := make([]string, 0, len(deps))
	for k := range deps {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		v := deps[name]
		if b, err := os.ReadFile(filepath.Join(dir, "node_modules", name, "package.json")); err == nil {
			var installed struct {
				Version string `json:"version"`
			}
			if json.Unmarshal(b, &installed) == nil && installed.Version != "" {
				v = installed.Version
			}
		}
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: name, Version: v})
	}
	return resp, nil
}

// RuntimeOptionsPrompts: this host asks nothing during `pulumi new`.
func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Cancel acknowledges a graceful shutdown request; running programs stop when the
// engine closes their connections or signals the process group.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writerFunc adapts a function to io.Writer.
type writerFunc func([]byte) error

func (f writerFunc) Write(p []byte) (int, error) {
	if err := f(p); err != nil {
		return 0, err
	}
	return len(p), nil
}
