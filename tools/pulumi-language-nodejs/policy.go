package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Policy packs written with @pulumi/policy read the stack's configuration, project,
// stack and organization from environment variables (PULUMI_CONFIG,
// PULUMI_NODEJS_STACK, ...) at start-up, but when the engine starts a pack through a
// language host it only sends that information later, in the Analyzer ConfigureStack
// RPC. So for kind "analyzer" this host serves a small Analyzer proxy: the engine talks
// to the proxy, the proxy starts the real pack (node .../cmd/run-policy-pack) on the
// first call, with the stack environment taken from ConfigureStack when that is the
// first call, and forwards every call to it.

type policyLaunch struct {
	node   string
	args   []string
	dir    string
	env    []string
	engine string
}

type policyProxy struct {
	pulumirpc.UnimplementedAnalyzerServer

	ctx    context.Context
	out    *pluginOutput
	launch policyLaunch

	mu       sync.Mutex
	client   pulumirpc.AnalyzerClient
	conn     *grpc.ClientConn
	startErr error
	exited   chan int // receives the pack's exit code once it has been started and exits
}

func runPolicyPack(ctx context.Context, out *pluginOutput, launch policyLaunch) error {
	p := &policyProxy{ctx: ctx, out: out, launch: launch, exited: make(chan int, 1)}

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = out.stderr([]byte(fmt.Sprintf("could not listen for the policy pack proxy: %v\n", err)))
		return out.exit(1)
	}
	srv := grpc.NewServer(grpc.MaxRecvMsgSize(maxRPCMessageSize), grpc.MaxSendMsgSize(maxRPCMessageSize))
	pulumirpc.RegisterAnalyzerServer(srv, p)
	go func() { _ = srv.Serve(lis) }()
	defer func() {
		srv.Stop()
		p.mu.Lock()
		if p.conn != nil {
			_ = p.conn.Close()
		}
		p.mu.Unlock()
	}()

	if err := out.stdout([]byte(strconv.Itoa(lis.Addr().(*net.TCPAddr).Port) + "\n")); err != nil {
		return err
	}

	select {
	case <-ctx.Done():
		// The engine is done with the pack; exec.CommandContext stops the node process.
		return ctx.Err()
	case code := <-p.exited:
		return out.exit(code)
	}
}

// stackEnv mirrors the variables the engine sets for Node.js policy packs it starts
// itself (see constructEnv in the sdk's analyzer_plugin.go).
func stackEnv(req *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if req == nil {
		return nil, nil
	}
	var env []string
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	if req.GetConfig() != nil {
		config, err := json.Marshal(req.GetConfig())
		if err != nil {
			return nil, err
		}
		add("PULUMI_CONFIG", string(config))
	}
	if len(req.GetConfigSecretKeys()) > 0 {
		keys, err := json.Marshal(req.GetConfigSecretKeys())
		if err != nil {
			return nil, err
		}
		add("PULUMI_CONFIG_SECRET_KEYS", string(keys))
	}
	dryRun := strconv.FormatBool(req.GetDryRun())
	add("PULUMI_NODEJS_ORGANIZATION", req.GetOrganization())
	add("PULUMI_NODEJS_PROJECT", req.GetProject())
	add("PULUMI_NODEJS_STACK", req.GetStack())
	add("PULUMI_NODEJS_DRY_RUN", dryRun)
	add("PULUMI_ORGANIZATION", req.GetOrganization())
	add("PULUMI_PROJECT", req.GetProject())
	add("PULUMI_STACK", req.GetStack())
	add("PULUMI_DRY_RUN", dryRun)
	return env, nil
}

// analyzer returns a client for the running pack, starting it on first use.
func (p *policyProxy) analyzer(stack *pulumirpc.AnalyzerStackConfigureRequest) (pulumirpc.AnalyzerClient, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil || p.startErr != nil {
		return p.client, p.startErr
	}
	p.client, p.startErr = p.start(stack)
	return p.client, p.startErr
}

// portWriter receives the pack's stdout: the first line is its gRPC port, everything
// after it is forwarded to the engine.
type portWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	done bool
	port chan string
	out  *pluginOutput
}

func (w *portWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return len(p), w.out.stdout(p)
	}
	w.buf.Write(p)
	line, rest, found := bytes.Cut(w.buf.Bytes(), []byte("\n"))
	if !found {
		return len(p), nil
	}
	w.done = true
	w.port <- strings.TrimSpace(string(line))
	if len(rest) > 0 {
		if err := w.out.stdout(rest); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (p *policyProxy) start(stack *pulumirpc.AnalyzerStackConfigureRequest) (pulumirpc.AnalyzerClient, error) {
	extra, err := stackEnv(stack)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(p.ctx, p.launch.node, p.launch.args...)
	cmd.Dir = p.launch.dir
	cmd.Env = append(append([]string{}, p.launch.env...), extra...)
	pw := &portWriter{port: make(chan string, 1), out: p.out}
	cmd.Stdout = pw
	cmd.Stderr = writerFunc(p.out.stderr)
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		p.exited <- 1
		return nil, status.Errorf(codes.Unavailable, "could not start policy pack in %s: %v", p.launch.dir, err)
	}
	waited := make(chan int, 1)
	go func() {
		code := exitCode(cmd.Wait())
		waited <- code
		p.exited <- code
	}()

	var port string
	select {
	case port = <-pw.port:
	case code := <-waited:
		return nil, status.Errorf(codes.Unavailable,
			"policy pack in %s exited with code %d before reporting its port", p.launch.dir, code)
	case <-p.ctx.Done():
		return nil, p.ctx.Err()
	}
	if _, err := strconv.Atoi(port); err != nil {
		return nil, status.Errorf(codes.Unavailable, "policy pack in %s wrote an invalid port %q", p.launch.dir, port)
	}
	conn, err := grpc.NewClient("127.0.0.1:"+port,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxRPCMessageSize), grpc.MaxCallSendMsgSize(maxRPCMessageSize)),
	)
	if err != nil {
		return nil, status.Errorf(codes.Unavailable, "could not connect to policy pack: %v", err)
	}
	p.conn = conn
	return pulumirpc.NewAnalyzerClient(conn), nil
}

func (p *policyProxy) ConfigureStack(
	ctx context.Context, req *pulumirpc.AnalyzerStackConfigureRequest,
) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	c, err := p.analyzer(req)
	if err != nil {
		return nil, err
	}
	return c.ConfigureStack(ctx, req)
}

// Handshake is answered by the proxy: @pulumi/policy packs do not implement it, and the
// engine falls back to its older behaviour when it is unimplemented.
func (p *policyProxy) Handshake(
	context.Context, *pulumirpc.AnalyzerHandshakeRequest,
) (*pulumirpc.AnalyzerHandshakeResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method Handshake not implemented")
}

func (p *policyProxy) Analyze(ctx context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.AnalyzeResponse, error) {
	c, err := p.analyzer(nil)
	if err != nil {
		return nil, err
	}
	return c.Analyze(ctx, req)
}

func (p *policyProxy) AnalyzeStack(
	ctx context.Context, req *pulumirpc.AnalyzeStackRequest,
) (*pulumirpc.AnalyzeResponse, error) {
	c, err := p.analyzer(nil)
	if err != nil {
		return nil, err
	}
	return c.AnalyzeStack(ctx, req)
}

func (p *policyProxy) Remediate(ctx context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.RemediateResponse, error) {
	c, err := p.analyzer(nil)
	if err != nil {
		return nil, err
	}
	return c.Remediate(ctx, req)
}

func (p *policyProxy) GetAnalyzerInfo(ctx context.Context, req *emptypb.Empty) (*pulumirpc.AnalyzerInfo, error) {
	c, err := p.analyzer(nil)
	if err != nil {
		return nil, err
	}
	return c.GetAnalyzerInfo(ctx, req)
}

func (p *policyProxy) GetPluginInfo(ctx context.Context, req *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	c, err := p.analyzer(nil)
	if err != nil {
		return nil, err
	}
	return c.GetPluginInfo(ctx, req)
}

func (p *policyProxy) Configure(ctx context.Context, req *pulumirpc.ConfigureAnalyzerRequest) (*emptypb.Empty, error) {
	c, err := p.analyzer(nil)
	if err != nil {
		return nil, err
	}
	return c.Configure(ctx, req)
}

// Cancel is forwarded only to a pack that is running; there is nothing to cancel otherwise.
func (p *policyProxy) Cancel(ctx context.Context, req *emptypb.Empty) (*emptypb.Empty, error) {
	p.mu.Lock()
	c := p.client
	p.mu.Unlock()
	if c == nil {
		return &emptypb.Empty{}, nil
	}
	return c.Cancel(ctx, req)
}
