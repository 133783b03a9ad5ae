package nixgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/nixgen/nix"
)

func TestFirewallValidate(t *testing.T) {
	cases := []struct {
		name       string
		body       string // inside the firewall block
		summary    string // "" for no diagnostics at all
		warning    bool
		detail, at string
	}{
		{name: "clean", body: `allow_ping = false
tcp = [22, 80]
udp = [53]
tcp_ranges = ["60000-61000"]
udp_ranges = ["1000-1000"]
allow "etcd" {
  tcp  = [2379, 2380]
  from = ["10.0.0.1", "10.0.1.0/24", "2001:db8::/64"]
}
allow "lan-mdns" {
  udp       = [5353]
  interface = "eth1"
}`},

		// Ports and ranges.
		{name: "port 0", body: `tcp = [0]`,
			summary: "Port out of range", detail: "The port 0 (element 1 of tcp of the firewall)", at: "[0]"},
		{name: "port 65536", body: `allow "x" {
  udp = [53, 65536]
}`, summary: "Port out of range", detail: `element 2 of udp of allow "x"`, at: "[53, 65536]"},
		{name: "port 65535", body: `tcp = [1, 65535]`},
		{name: "range with colon", body: `tcp_ranges = ["60000:61000"]`,
			summary: "Invalid port range", detail: `"60000:61000"`, at: `["60000:61000"]`},
		{name: "range reversed", body: `udp_ranges = ["61000-60000"]`,
			summary: "Invalid port range", detail: `write "60000-61000"`},
		{name: "range beyond 65535", body: `tcp_ranges = ["60000-70000"]`,
			summary: "Invalid port range", detail: "between 1 and 65535"},
		{name: "range with spaces", body: `tcp_ranges = ["1 - 2"]`,
			summary: "Invalid port range"},
		{name: "range with sign", body: `tcp_ranges = ["+1-2"]`,
			summary: "Invalid port range"},
		{name: "full range", body: `tcp_ranges = ["1-65535"]`},
		{name: "duplicate port", body: `tcp = [22, 80, 22]`,
			summary: "Port listed twice", warning: true, detail: "port 22 (in tcp) is listed twice", at: "[22, 80, 22]"},
		{name: "port inside range", body: `tcp = [60500]
tcp_ranges = ["60000-61000"]`,
			summary: "Port listed twice", warning: true, detail: "range 60000-61000 (in tcp_ranges) overlaps port 60500 (in tcp)", at: `["60000-61000"]`},
		{name: "same port, two protocols", body: `tcp = [53]
udp = [53]`},

		// Allow rules.
		{name: "rule without ports", body: `allow "nothing" {
  from = ["10.0.0.1"]
}`, summary: "Rule opens no port", at: `"nothing"`},
		{name: "rule name with space", body: `allow "k3s etcd" {
  tcp = [2379]
}`, summary: "Invalid rule name", detail: `contains ' '`, at: `"k3s etcd"`},
		{name: "rule name with newline", body: `allow "etcd\nrm -rf /" {
  tcp = [2379]
}`, summary: "Invalid rule name", detail: `contains '\n'`},
		{name: "rule name with dash first", body: `allow "-x" {
  tcp = [1]
}`, summary: "Invalid rule name", detail: "does not start with a letter"},
		{name: "duplicate rule", body: `allow "a" {
  tcp = [1]
}
allow "a" {
  tcp = [2]
}`, summary: "Duplicate firewall rule", detail: "also declared at inventory.hcl:3,1-10", at: `"a"`},
		{name: "source not an address", body: `allow "etcd" {
  tcp  = [2379]
  from = ["10.0.0.1", "etcd.example.org"]
}`, summary: "Invalid source", detail: `"etcd.example.org" (element 2 of from`, at: `["10.0.0.1", "etcd.example.org"]`},
		{name: "source with shell", body: `allow "etcd" {
  tcp  = [2379]
  from = ["10.0.0.1; rm -rf /"]
}`, summary: "Invalid source", detail: `"10.0.0.1; rm -rf /"`},
		{name: "source mapped", body: `allow "etcd" {
  tcp  = [2379]
  from = ["::ffff:10.0.0.1"]
}`, summary: "Invalid source", detail: "write the IPv4 form 10.0.0.1"},
		{name: "empty source list", body: `allow "etcd" {
  tcp  = [2379]
  from = []
}`, summary: "Empty source list", at: "[]"},
		{name: "source host bits", body: `allow "etcd" {
  tcp  = [2379]
  from = ["10.0.0.5/24"]
}`, summary: "Source has host bits", warning: true, detail: "the whole subnet 10.0.0.0/24"},
		{name: "source covered", body: `allow "etcd" {
  tcp  = [2379]
  from = ["10.0.0.7", "10.0.0.0/24"]
}`, summary: "Source listed twice", warning: true, detail: "10.0.0.7/32 is already covered by 10.0.0.0/24"},
		{name: "source twice", body: `allow "etcd" {
  tcp  = [2379]
  from = ["10.0.0.1", "10.0.0.1/32"]
}`, summary: "Source listed twice", warning: true, detail: "10.0.0.1/32 is listed twice"},
		{name: "IPv4 and IPv6 sources", body: `allow "etcd" {
  tcp  = [2379]
  from = ["0.0.0.0/0", "::/0"]
}`},
		{name: "interface with quote", body: `allow "x" {
  tcp = [1]
  interface = "eth0\" accept"
}`, summary: "Invalid interface name", detail: `contains '"'`, at: `"eth0\" accept"`},
		{name: "interface too long", body: `allow "x" {
  tcp = [1]
  interface = "wireguard-tunnel0"
}`, summary: "Invalid interface name", detail: "IFNAMSIZ"},
		{name: "restriction shadowed", body: `tcp_ranges = ["2000-3000"]
allow "etcd" {
  tcp  = [2379]
  from = ["10.0.0.1"]
}`, summary: "Restriction has no effect", warning: true, detail: "also opens TCP port 2000-3000 to everyone", at: `allow "etcd"`},
		{name: "restriction by open rule", body: `allow "web" {
  tcp = [22]
}
allow "ssh" {
  tcp       = [22]
  interface = "eth0"
}`, summary: "Restriction has no effect", warning: true, detail: `"ssh" restricts TCP port 22`},
		{name: "other protocol not shadowed", body: `udp = [2379]
allow "etcd" {
  tcp  = [2379]
  from = ["10.0.0.1"]
}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, src := netHost(t, "firewall {\n"+c.body+"\n}")
			netCheckDiag(t, src, validateNetwork(m), c.summary, c.warning, c.detail, c.at)
		})
	}
}

// TestFirewallMACMatchedInterface warns about a rule on an interface that
// is selected by MAC address, whose kernel name is not its label.
func TestFirewallMACMatchedInterface(t *testing.T) {
	body := `interface "lan" {
  match_mac = "52:54:00:12:34:56"
  dhcp = "yes"
}
firewall {
  allow "dns" {
    udp = [53]
    interface = "lan"
  }
}`
	m, src := netHost(t, body)
	netCheckDiag(t, src, validateNetwork(m), "Interface matched by MAC address", true, `named "lan"`, `"lan"`)
	m, src = netHost(t, strings.Replace(body, `match_mac = "52:54:00:12:34:56"`, "", 1))
	netCheckDiag(t, src, validateNetwork(m), "", false, "", "")
}

// fwSample is a host with every kind of rule.
const fwSample = `
interface "eth0" {
  addresses = ["203.0.113.10/24"]
  gateway   = "203.0.113.1"
}
firewall {
  allow_ping = false
  tcp        = [443, 80]
  udp        = [53]
  tcp_ranges = ["60000-61000"]
  allow "etcd" {
    tcp  = [2380, 2379]
    from = ["2001:db8::/64", "10.0.0.2", "10.0.0.1"]
  }
  allow "admin" {
    tcp        = [22]
    udp_ranges = ["60000-60010"]
    from       = ["198.51.100.7"]
    interface  = "eth0"
  }
  allow "lan" {
    udp       = [5353]
    tcp       = [8080]
    interface = "eth1"
  }
  allow "web-alt" {
    tcp = [8443]
  }
}`

func TestFirewallIPTables(t *testing.T) {
	m, _ := netHost(t, fwSample)
	got := netPrint(t, m, "iptables")
	want := `{ ... }: {
  networking.useDHCP = false;
  networking.useNetworkd = true;
  systemd.network.networks."10-eth0" = {
    matchConfig.Name = "eth0";
    address = [ "203.0.113.10/24" ];
    routes = [ { Gateway = "203.0.113.1"; } ];
    linkConfig.RequiredForOnline = "routable";
  };
  networking.firewall = {
    enable = true;
    allowedTCPPorts = [
      80
      443
      8443
    ];
    allowedUDPPorts = [ 53 ];
    allowedTCPPortRanges = [
      {
        from = 60000;
        to = 61000;
      }
    ];
    allowPing = false;
    interfaces.eth1 = {
      allowedTCPPorts = [ 8080 ];
      allowedUDPPorts = [ 5353 ];
    };
    extraCommands = ''
      # admin
      iptables -A nixos-fw -i eth0 -p tcp --dport 22 -s 198.51.100.7/32 -j nixos-fw-accept
      iptables -A nixos-fw -i eth0 -p udp --dport 60000:60010 -s 198.51.100.7/32 -j nixos-fw-accept
      # etcd
      iptables -A nixos-fw -p tcp --dport 2379 -s 10.0.0.1/32 -j nixos-fw-accept
      iptables -A nixos-fw -p tcp --dport 2379 -s 10.0.0.2/32 -j nixos-fw-accept
      ip6tables -A nixos-fw -p tcp --dport 2379 -s 2001:db8::/64 -j nixos-fw-accept
      iptables -A nixos-fw -p tcp --dport 2380 -s 10.0.0.1/32 -j nixos-fw-accept
      iptables -A nixos-fw -p tcp --dport 2380 -s 10.0.0.2/32 -j nixos-fw-accept
      ip6tables -A nixos-fw -p tcp --dport 2380 -s 2001:db8::/64 -j nixos-fw-accept
    '';
  };
  services.openssh.openFirewall = false;
}
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("network.nix (-want +got):\n%s", diff)
	}

	fw := netEval(t, got).Networking.Firewall
	if diff := cmp.Diff([]int{80, 443, 8443}, fw.AllowedTCPPorts); diff != "" {
		t.Errorf("allowedTCPPorts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]netEvalRange{{60000, 61000}}, fw.AllowedTCPPortRanges); diff != "" {
		t.Errorf("allowedTCPPortRanges (-want +got):\n%s", diff)
	}
	if got := fw.Interfaces["eth1"]; !cmp.Equal(got.AllowedTCPPorts, []int{8080}) || !cmp.Equal(got.AllowedUDPPorts, []int{5353}) {
		t.Errorf("interfaces.eth1 = %+v", got)
	}
	if fw.AllowPing == nil || *fw.AllowPing || fw.Enable == nil || !*fw.Enable {
		t.Errorf("allowPing = %v, enable = %v", fw.AllowPing, fw.Enable)
	}
	if fw.ExtraInputRules != "" {
		t.Errorf("extraInputRules set with iptables: %q", fw.ExtraInputRules)
	}
}

func TestFirewallNFTables(t *testing.T) {
	m, _ := netHost(t, fwSample)
	res := netEval(t, netPrint(t, m, "nftables"))
	fw := res.Networking.Firewall
	want := `# admin
iifname "eth0" ip saddr { 198.51.100.7 } tcp dport 22 accept
iifname "eth0" ip saddr { 198.51.100.7 } udp dport 60000-60010 accept
# etcd
ip saddr { 10.0.0.1, 10.0.0.2 } tcp dport { 2379, 2380 } accept
ip6 saddr { 2001:db8::/64 } tcp dport { 2379, 2380 } accept
`
	if diff := cmp.Diff(want, fw.ExtraInputRules); diff != "" {
		t.Errorf("extraInputRules (-want +got):\n%s", diff)
	}
	// NixOS asserts that extraCommands is empty with nftables.
	if fw.ExtraCommands != "" {
		t.Errorf("extraCommands set with nftables: %q", fw.ExtraCommands)
	}
	if e := res.Networking.Nftables.Enable; e == nil || !*e {
		t.Errorf("networking.nftables.enable = %v, want true", e)
	}
	if diff := cmp.Diff([]int{80, 443, 8443}, fw.AllowedTCPPorts); diff != "" {
		t.Errorf("allowedTCPPorts (-want +got):\n%s", diff)
	}

	// The backend may come from the host.
	m.FirewallBackend = new("nftables")
	if got := netEval(t, netPrint(t, m, "")).Networking.Firewall.ExtraInputRules; got != want {
		t.Errorf("firewall_backend = \"nftables\" not followed:\n%s", got)
	}
}

// TestFirewallSample06 checks the rule lines of sample 06.
func TestFirewallSample06(t *testing.T) {
	var plan firewallPlan
	for _, r := range []allowRule{
		{Name: "a", TCP: []portRange{{6443, 6443}}, From: []netip.Prefix{
			netip.MustParsePrefix("10.0.0.2/32"), netip.MustParsePrefix("10.0.0.1/32")}},
		{Name: "b", UDP: []portRange{{51821, 51821}, {51820, 51820}}, From: []netip.Prefix{
			netip.MustParsePrefix("2001:db8::1/128")}},
	} {
		if err := plan.add(r); err != nil {
			t.Fatal(err)
		}
	}
	sample, err := os.ReadFile("nix/testdata/nixfmt/06-nftables.nix")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for line := range strings.Lines(string(sample)) {
		if l := strings.TrimSpace(line); strings.HasSuffix(l, " accept") {
			want = append(want, l)
		}
	}
	var got []string
	for line := range strings.Lines(nftablesRules(plan.rules)) {
		if !strings.HasPrefix(line, "#") {
			got = append(got, strings.TrimSuffix(line, "\n"))
		}
	}
	if len(want) != 2 {
		t.Fatalf("sample 06 has %d rule lines, want 2", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rule lines (-sample +got):\n%s", diff)
	}
}

// TestFirewallSSH checks when services.openssh.openFirewall is set false:
// whenever the firewall opens port 22 itself, and never otherwise.
func TestFirewallSSH(t *testing.T) {
	cases := []struct {
		name string
		body string
		want bool
	}{
		{"no firewall", ``, false},
		{"22 not mentioned", `firewall {
  tcp = [80]
  allow "etcd" {
    tcp  = [2379]
    from = ["10.0.0.1"]
  }
}`, false},
		{"22 over UDP", `firewall {
  udp = [22]
}`, false},
		{"22 restricted to sources", `firewall {
  allow "ssh" {
    tcp  = [22]
    from = ["198.51.100.7"]
  }
}`, true},
		{"22 in a restricted range", `firewall {
  allow "low" {
    tcp_ranges = ["1-1024"]
    from       = ["198.51.100.7"]
  }
}`, true},
		{"22 on an interface", `firewall {
  allow "ssh" {
    tcp       = [22]
    interface = "eth1"
  }
}`, true},
		{"22 open to everyone", `firewall {
  tcp = [22]
}`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := netHost(t, c.body)
			if got := m.Firewall.OpensSSH(); got != c.want {
				t.Errorf("OpensSSH() = %v, want %v", got, c.want)
			}
			for _, backend := range []string{"iptables", "nftables"} {
				o := netEval(t, netPrint(t, m, backend)).Services.Openssh.OpenFirewall
				if c.want && (o == nil || *o) || !c.want && o != nil {
					t.Errorf("%s: services.openssh.openFirewall = %v, want it set false: %v", backend, o, c.want)
				}
			}
		})
	}
}

// TestFirewallDerivedRules checks rules that other parts of nixgen add:
// their comment, their checks, and their replacement by a same-named rule
// of the inventory.
func TestFirewallDerivedRules(t *testing.T) {
	m, _ := netHost(t, `firewall {
  allow "k3s-api" {
    tcp  = [6443]
    from = ["198.51.100.7"]
  }
}`)
	derived := []allowRule{
		{Name: "k3s-etcd", Comment: "etcd between the k3s servers", TCP: []portRange{{2380, 2380}, {2379, 2379}},
			From: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/32"), netip.MustParsePrefix("10.0.0.1/32")}},
		{Name: "k3s-api", Comment: "the Kubernetes API for the cluster", TCP: []portRange{{6443, 6443}},
			From: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")}},
	}
	e, err := networkModuleRules(m, "iptables", derived)
	if err != nil {
		t.Fatal(err)
	}
	got := netEval(t, netPrintExpr(t, e)).Networking.Firewall.ExtraCommands
	want := `# k3s-api
iptables -A nixos-fw -p tcp --dport 6443 -s 198.51.100.7/32 -j nixos-fw-accept
# k3s-etcd: etcd between the k3s servers
iptables -A nixos-fw -p tcp --dport 2379 -s 10.0.0.1/32 -j nixos-fw-accept
iptables -A nixos-fw -p tcp --dport 2379 -s 10.0.0.2/32 -j nixos-fw-accept
iptables -A nixos-fw -p tcp --dport 2380 -s 10.0.0.1/32 -j nixos-fw-accept
iptables -A nixos-fw -p tcp --dport 2380 -s 10.0.0.2/32 -j nixos-fw-accept
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("extraCommands (-want +got):\n%s", diff)
	}

	bad := []struct {
		name string
		rule allowRule
		err  string
	}{
		{"comment with newline", allowRule{Name: "x", Comment: "why\nreboot", TCP: []portRange{{1, 1}}}, "one line"},
		{"name with space", allowRule{Name: "x y", TCP: []portRange{{1, 1}}}, "contains ' '"},
		{"no port", allowRule{Name: "x"}, "opens no port"},
		{"port 0", allowRule{Name: "x", UDP: []portRange{{0, 10}}}, "invalid port range"},
		{"reversed range", allowRule{Name: "x", UDP: []portRange{{10, 5}}}, "invalid port range"},
		{"bad interface", allowRule{Name: "x", TCP: []portRange{{1, 1}}, Interface: "eth0 "}, "contains ' '"},
		{"invalid source", allowRule{Name: "x", TCP: []portRange{{1, 1}}, From: []netip.Prefix{{}}}, "invalid source"},
		{"twice", allowRule{Name: "y", TCP: []portRange{{1, 1}}}, `two firewall rules are called "y"`},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			plan := firewallPlan{rules: []allowRule{{Name: "y", TCP: []portRange{{1, 1}}}}}
			err := plan.add(c.rule)
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("add(%+v) = %v, want an error containing %q", c.rule, err, c.err)
			}
			if len(plan.rules) != 1 {
				t.Error("a rejected rule was added")
			}
		})
	}
	if _, err := networkModuleRules(m, "iptables", []allowRule{bad[0].rule}); err == nil {
		t.Error("networkModuleRules accepted a malformed derived rule")
	}
}

// TestFirewallInjection feeds text that would change the meaning of the
// generated shell commands, nftables rules or Nix if it were copied into
// them: every one is rejected, and no module is produced.
func TestFirewallInjection(t *testing.T) {
	cases := []string{
		`firewall {
  allow "x" {
    tcp  = [22]
    from = ["10.0.0.1; rm -rf /"]
  }
}`,
		`firewall {
  allow "x" {
    tcp  = [22]
    from = ["10.0.0.1/32 -j ACCEPT"]
  }
}`,
		`firewall {
  allow "x" {
    tcp  = [22]
    from = ["10.0.0.1 } accept; ip saddr { 0.0.0.0/0"]
  }
}`,
		`firewall {
  allow "x" {
    tcp       = [22]
    interface = "eth0\" accept #"
  }
}`,
		`firewall {
  allow "x" {
    tcp       = [22]
    from      = ["10.0.0.1"]
    interface = "eth0 -j ACCEPT"
  }
}`,
		`firewall {
  allow "x\niptables -P INPUT ACCEPT" {
    tcp = [22]
  }
}`,
		`firewall {
  allow "x''\n$${y}" {
    tcp = [22]
  }
}`,
		`interface "eth 0" {
  dhcp = "yes"
}`,
		`interface "eth0\"; x = \"" {
  dhcp = "yes"
}`,
		`interface "eth$${x}" {
  dhcp = "yes"
}`,
		`interface "eth0" {
  match_mac = "52:54:00:12:34:56\"; y = \""
}`,
		`interface "eth0" {
  addresses = ["10.0.0.2/24"]
  gateway   = "10.0.0.1 dev eth1"
}`,
		`nameservers = ["1.1.1.1\nnameserver 6.6.6.6"]`,
	}
	for i, body := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			m, _ := netHost(t, body)
			if diags := validateNetwork(m); !diags.HasErrors() {
				t.Errorf("no error for:\n%s\n%s", body, netDiagsText(diags))
			}
			for _, backend := range []string{"iptables", "nftables"} {
				if _, err := networkModule(m, backend); err == nil {
					t.Errorf("%s: networkModule produced a module for:\n%s", backend, body)
				}
			}
		})
	}
}

// TestFirewallDeterminism renders one host from many orderings of its
// unordered collections: interfaces, routes, allow rules, ports and
// sources. The bytes must not change. The order of addresses and
// nameservers means something and is kept.
func TestFirewallDeterminism(t *testing.T) {
	base := func() *Machine {
		m, _ := netHost(t, fwSample+`
interface "eth1" {
  addresses = ["10.0.0.10/24", "2001:db8::10/64"]
  route {
    destination = "10.8.0.0/16"
    gateway     = "10.0.0.254"
  }
  route {
    destination = "10.9.0.0/16"
    gateway     = "10.0.0.253"
  }
  route {
    destination = "2001:db8:9::/48"
    gateway     = "fe80::1"
  }
}
interface "eth2" {
  dhcp = "yes"
}`)
		return m
	}
	rng := rand.New(rand.NewPCG(1, 2))
	shuffle := func(n int, swap func(i, j int)) { rng.Shuffle(n, swap) }
	for _, backend := range []string{"iptables", "nftables"} {
		want := netPrint(t, base(), backend)
		for i := range 25 {
			m := base()
			shuffle(len(m.Interfaces), func(i, j int) { m.Interfaces[i], m.Interfaces[j] = m.Interfaces[j], m.Interfaces[i] })
			for k := range m.Interfaces {
				rs := m.Interfaces[k].Routes
				shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
			}
			fw := m.Firewall
			shuffle(len(fw.Allow), func(i, j int) { fw.Allow[i], fw.Allow[j] = fw.Allow[j], fw.Allow[i] })
			shuffle(len(fw.TCP), func(i, j int) { fw.TCP[i], fw.TCP[j] = fw.TCP[j], fw.TCP[i] })
			for k := range fw.Allow {
				a := &fw.Allow[k]
				shuffle(len(a.TCP), func(i, j int) { a.TCP[i], a.TCP[j] = a.TCP[j], a.TCP[i] })
				shuffle(len(a.From), func(i, j int) { a.From[i], a.From[j] = a.From[j], a.From[i] })
			}
			e, err := networkModule(m, backend)
			if err != nil {
				t.Fatal(err)
			}
			if got := netPrintExprUnchecked(t, e); got != want {
				t.Fatalf("%s, ordering %d: output changed:\n%s", backend, i, cmp.Diff(want, got))
			}
		}
	}
}

// netPrintExprUnchecked prints e without asking Nix to parse it.
func netPrintExprUnchecked(t *testing.T, e nix.Expr) string {
	t.Helper()
	out, err := nix.Print(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestFirewallToolsAccept hands the generated rules to the tools that will
// run them, in their check modes: nft -c for extraInputRules, inside a
// chain as NixOS places them, and iptables-restore --test for the
// extraCommands commands. It runs only where the tools are installed and
// can check a known-good ruleset.
func TestFirewallToolsAccept(t *testing.T) {
	m, _ := netHost(t, fwSample)
	plan, diags := compileNetwork(m)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	dir := t.TempDir()
	run := func(name string, input string, args ...string) error {
		path := filepath.Join(dir, "input")
		if err := os.WriteFile(path, []byte(input), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.CommandContext(t.Context(), name, slices.Concat(args, []string{path})...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%v: %s", err, out.String())
		}
		return nil
	}
	usable := func(name, goodInput string, args ...string) bool {
		if _, err := exec.LookPath(name); err != nil {
			t.Logf("%s is not installed; skipping its check", name)
			return false
		}
		if err := run(name, goodInput, args...); err != nil {
			t.Logf("%s cannot check rules here (%v); skipping its check", name, err)
			return false
		}
		return true
	}
	checked := false

	nft := func(rules string) string {
		return "table inet nixos-fw {\n  chain input-allow {\n" + rules + "  }\n}\n"
	}
	if usable("nft", nft("    tcp dport 22 accept\n"), "-c", "-f") {
		checked = true
		if err := run("nft", nft(nftablesRules(plan.fw.rules)), "-c", "-f"); err != nil {
			t.Errorf("nft rejects extraInputRules: %v", err)
		}
	}

	restore := func(lines []string) string {
		return "*filter\n:nixos-fw - [0:0]\n:nixos-fw-accept - [0:0]\n" + strings.Join(lines, "") + "COMMIT\n"
	}
	var v4, v6 []string
	for line := range strings.Lines(iptablesScript(plan.fw.rules)) {
		if rest, ok := strings.CutPrefix(line, "iptables "); ok {
			v4 = append(v4, rest)
		} else if rest, ok := strings.CutPrefix(line, "ip6tables "); ok {
			v6 = append(v6, rest)
		} else if !strings.HasPrefix(line, "#") {
			t.Errorf("unexpected line in extraCommands: %q", line)
		}
	}
	if usable("iptables-restore", restore(nil), "--test") {
		checked = true
		if err := run("iptables-restore", restore(v4), "--test"); err != nil {
			t.Errorf("iptables-restore rejects the IPv4 commands: %v", err)
		}
	}
	if usable("ip6tables-restore", restore(nil), "--test") {
		checked = true
		if err := run("ip6tables-restore", restore(v6), "--test"); err != nil {
			t.Errorf("ip6tables-restore rejects the IPv6 commands: %v", err)
		}
	}
	if !checked {
		t.Skip("neither nft nor iptables-restore can check rules here")
	}
}

// TestFirewallPortNormalization checks that overlapping ports reach NixOS
// once: duplicates and ports inside a range are dropped and overlapping
// ranges merged, since an nftables set may not hold overlapping elements.
// Adjacent ports stay as written.
func TestFirewallPortNormalization(t *testing.T) {
	m, _ := netHost(t, `firewall {
  tcp        = [60500, 22, 21, 22, 62001]
  tcp_ranges = ["60900-62000", "60000-61000"]
  allow "etcd" {
    tcp        = [2380, 2379, 2379]
    tcp_ranges = ["2379-2380"]
    from       = ["10.0.0.1"]
  }
}`)
	res := netEval(t, netPrint(t, m, "nftables"))
	fw := res.Networking.Firewall
	if diff := cmp.Diff([]int{21, 22, 62001}, fw.AllowedTCPPorts); diff != "" {
		t.Errorf("allowedTCPPorts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]netEvalRange{{60000, 62000}}, fw.AllowedTCPPortRanges); diff != "" {
		t.Errorf("allowedTCPPortRanges (-want +got):\n%s", diff)
	}
	want := "# etcd\nip saddr { 10.0.0.1 } tcp dport 2379-2380 accept\n"
	if diff := cmp.Diff(want, fw.ExtraInputRules); diff != "" {
		t.Errorf("extraInputRules (-want +got):\n%s", diff)
	}
}
