//go:build tools

// Package tools pins the Pulumi CLI that scripts/pulumi-env.sh builds:
//
//	go build -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v3.274.1" \
//	    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
//
// The sdk import makes the version package (the -X target) a direct requirement.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
)
