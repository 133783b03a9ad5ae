// Package k3s describes a k3s cluster and derives the NixOS configuration
// of its nodes from it: the services.k3s module of each node
// ([Cluster.Module]), the firewall rules that let the nodes reach one
// another ([Cluster.Rules] and [Cluster.TrustedInterfaces]), and checks of
// the cluster as a whole ([Lint]).
//
// A [Cluster] holds every setting that must be the same on all servers
// (flannel backend, cluster and service CIDRs, cluster DNS and domain,
// disabled components, secrets encryption, the embedded registry): the k3s
// documentation (datastore/ha-embedded) warns that servers which disagree
// on them fail with confusing errors, so they are written once and emitted
// for every server from the same place. A [Node] holds what belongs to one
// machine: its role, address, labels and taints.
//
// # Targeted nixpkgs
//
// The modules target the services.k3s options of nixpkgs's shared rancher
// module (nixos/modules/services/cluster/rancher, used by k3s and rke2
// since NixOS/nixpkgs#447847): nixos-unstable from October 2025 and NixOS
// 25.11. Besides enable, role, tokenFile, clusterInit, serverAddr,
// extraFlags (a list) and gracefulNodeShutdown.enable, which the k3s module
// of NixOS 24.11 has as well, a module may set disable, nodeIP, nodeLabel,
// nodeTaint and agentTokenFile, which that older module lacks; with such a
// nixpkgs, evaluation stops with "The option `services.k3s.nodeLabel' does
// not exist". Flags that have no option of their own go to extraFlags,
// which the module appends to the k3s command line (systemd splits each
// element on white space, so "--tls-san k8s.example.org" is two
// arguments).
//
// # Secrets
//
// The cluster token is a shared secret: whoever has it can join a node to
// the cluster. The module's token option would write it into the Nix
// store, which every local user can read, so a [Cluster] has no place for
// the token itself, only a [Secret] that says where the node reads it when
// k3s starts: a file on the node, or a sops-nix secret, whose path the
// module takes from config.sops.secrets.
//
// # Firewall
//
// The NixOS k3s module opens no port (NixOS/nixpkgs#175513). [Cluster.Rules]
// derives the ports of the k3s documentation's "Inbound Rules for K3s
// Nodes" (installation/requirements), opened only to the addresses of the
// cluster's other nodes, and for the API server also to the cluster's
// admin sources. [Cluster.TrustedInterfaces] names the interfaces of the
// pod network, whose traffic the firewall must accept whole: pods reach
// the API server and the kubelet of their own node from their pod address,
// through the node's cni0 bridge, and nixpkgs#98766 shows what breaks
// (cluster DNS) when the firewall drops them.
package k3s
