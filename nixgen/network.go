package nixgen

// Placeholder: replaced by the networking layer.

// Interface is a network interface.
type Interface struct{}

// Firewall holds firewall rules.
type Firewall struct{}
