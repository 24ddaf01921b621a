package controller

import (
	"fmt"
	"math/big"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/controller/autoscale"
	"github.com/blueprint-engine/bp/controller/probe"
	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/engine/state"
)

// Stack is what `bp run` acts on, read from the state: the self-hosted
// machine groups of the root module, and the autoscalers and health checks
// that the controller kinds' modules recorded.
type Stack struct {
	// Groups by address ("machine_group.web").
	Groups map[string]*Group
	// Autoscalers and HealthChecks in address order.
	Autoscalers  []*Autoscaler
	HealthChecks []*HealthCheck
	// LoadBalancers are the self-hosted load balancers (HAProxy on a
	// machine), in address order.
	LoadBalancers []*LoadBalancer
}

// LoadBalancer is a self-hosted load balancer: the machine its HAProxy
// runs on.
type LoadBalancer struct {
	// Addr is the resource's address, "load_balancer.front".
	Addr string
	// SSH reaches its machine.
	SSH converge.Target
}

// Group is one machine group as the state records it.
type Group struct {
	Addr     string
	Size     int
	Min, Max int
	// Members in index order.
	Members []Member
}

// Member is one machine of a group.
type Member struct {
	// Address is the machine's network address, the name probes and
	// the board use.
	Address string
	// Instance is the machine's instance address, what -replace takes.
	Instance state.InstanceAddr
	// SSH reaches the machine, for host metrics.
	SSH converge.Target
}

// Autoscaler is an autoscaler block as recorded in state.
type Autoscaler struct {
	// Addr is the block's address, "autoscaler.web".
	Addr    string
	Group   string
	Policy  autoscale.Policy
	Sources []MetricSource
}

// MetricSource says where a load balancer metric is read: the backend of
// an HAProxy stats page. Host metrics have none.
type MetricSource struct {
	Metric   string
	StatsURL string
	Backend  string
}

// HealthCheck is a health_check block as recorded in state.
type HealthCheck struct {
	Addr  string
	Group string
	// HTTPPath is the path of an HTTP probe; empty for a TCP probe.
	HTTPPath   string
	Port       int
	Interval   time.Duration
	Thresholds probe.Thresholds
}

// What the controller kinds' modules and the machine_group module keep in
// state (toolkit/modules).
const (
	recordResource = "std_null.this"
	groupSizeRes   = "std_group_size.this"
	groupMembers   = "machine.member"
	lbMachine      = "machine.lb"
)

// ReadStack finds the stack's groups and controller blocks in a state.
// A record it cannot read is an error naming it: the state was written by
// another version of bp, or edited by hand.
func ReadStack(s *state.State) (*Stack, error) {
	st := &Stack{Groups: map[string]*Group{}}
	for _, a := range s.AllInstances() {
		kindName, ok := strings.CutPrefix(a.Resource.Module, "module.")
		if !ok || strings.Contains(kindName, ".") {
			continue
		}
		kind, name, ok := strings.Cut(kindName, ":")
		if !ok {
			continue
		}
		res := a.Resource.Type + "." + a.Resource.Name
		obj := s.Object(a)
		if obj == nil {
			continue
		}
		var err error
		switch {
		case kind == "machine_group" && res == groupSizeRes:
			g := st.group(kind + "." + name)
			g.Size, err = intAttr(obj.Value, "size")
			if err == nil {
				g.Min, err = intAttr(obj.Value, "min")
			}
			if err == nil {
				g.Max, err = intAttr(obj.Value, "max")
			}
		case kind == "machine_group" && res == groupMembers:
			g := st.group(kind + "." + name)
			addr := attr(obj.Value, "address")
			if addr.IsNull() || addr.Type() != cty.String {
				err = fmt.Errorf("no address")
				break
			}
			g.Members = append(g.Members, Member{Address: addr.AsString(), Instance: a, SSH: machineTarget(s, a, obj.Value)})
		case kind == "load_balancer" && res == lbMachine:
			st.LoadBalancers = append(st.LoadBalancers, &LoadBalancer{Addr: kind + "." + name, SSH: machineTarget(s, a, obj.Value)})
		case kind == "autoscaler" && res == recordResource:
			var as *Autoscaler
			as, err = readAutoscaler(kind+"."+name, attr(obj.Value, "inputs"))
			if err == nil {
				st.Autoscalers = append(st.Autoscalers, as)
			}
		case kind == "health_check" && res == recordResource:
			var hc *HealthCheck
			hc, err = readHealthCheck(kind+"."+name, attr(obj.Value, "inputs"))
			if err == nil {
				st.HealthChecks = append(st.HealthChecks, hc)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s from the state: %w", a, err)
		}
	}
	return st, nil
}

// machineTarget is how to reach a machine over SSH, from its attributes
// (address, ssh_user, ssh_port, ssh_private_key, host_key) and the host
// key recorded at first contact when it has none. Missing attributes are
// left empty; the SSH dial says what is missing.
func machineTarget(s *state.State, a state.InstanceAddr, v cty.Value) converge.Target {
	t := converge.Target{Name: a.String(), ConnectTimeout: sshConnectTimeout}
	t.Address, _ = stringAttr(v, "address")
	t.User, _ = stringAttr(v, "ssh_user")
	key, _ := stringAttr(v, "ssh_private_key")
	t.PrivateKey = []byte(key)
	t.HostKey, _ = stringAttr(v, "host_key")
	if p, err := intAttr(v, "ssh_port"); err == nil && p > 0 && p < 65536 {
		t.Port = p
	}
	if t.HostKey == "" && t.Address != "" {
		port := t.Port
		if port == 0 {
			port = converge.DefaultPort
		}
		t.HostKey = s.HostKey(net.JoinHostPort(t.Address, strconv.Itoa(port)))
	}
	return t
}

// sshConnectTimeout bounds a connection to a machine; the controller
// retries at its next tick.
const sshConnectTimeout = 5 * time.Second

func (st *Stack) group(addr string) *Group {
	g := st.Groups[addr]
	if g == nil {
		g = &Group{Addr: addr}
		st.Groups[addr] = g
	}
	return g
}

func readAutoscaler(addr string, v cty.Value) (*Autoscaler, error) {
	as := &Autoscaler{Addr: addr}
	var err error
	if as.Group, err = stringAttr(v, "group"); err != nil {
		return nil, err
	}
	p := &as.Policy
	if p.Min, err = intAttr(v, "min"); err != nil {
		return nil, err
	}
	if p.Max, err = intAttr(v, "max"); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		name string
		to   *time.Duration
	}{{"scale_out_cooldown", &p.ScaleOutCooldown}, {"scale_in_cooldown", &p.ScaleInCooldown}, {"stabilization", &p.Stabilization}} {
		if *d.to, err = durationAttr(v, d.name); err != nil {
			return nil, err
		}
	}
	metrics := attr(v, "metrics")
	if metrics.IsNull() || !metrics.CanIterateElements() {
		return nil, fmt.Errorf("no metrics")
	}
	for it := metrics.ElementIterator(); it.Next(); {
		_, m := it.Element()
		name, err := stringAttr(m, "name")
		if err != nil {
			return nil, err
		}
		target, err := numberAttr(m, "target")
		if err != nil {
			return nil, err
		}
		p.Metrics = append(p.Metrics, autoscale.MetricTarget{Name: name, Target: target})
		src := MetricSource{Metric: name}
		if u := attr(m, "stats_url"); !u.IsNull() {
			src.StatsURL, _ = stringAttr(m, "stats_url")
			src.Backend, _ = stringAttr(m, "backend")
		}
		as.Sources = append(as.Sources, src)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return as, nil
}

func readHealthCheck(addr string, v cty.Value) (*HealthCheck, error) {
	hc := &HealthCheck{Addr: addr}
	var err error
	if hc.Group, err = stringAttr(v, "group"); err != nil {
		return nil, err
	}
	if hc.Interval, err = durationAttr(v, "interval"); err != nil {
		return nil, err
	}
	if hc.Thresholds.Healthy, err = intAttr(v, "healthy_threshold"); err != nil {
		return nil, err
	}
	if hc.Thresholds.Unhealthy, err = intAttr(v, "unhealthy_threshold"); err != nil {
		return nil, err
	}
	if h := attr(v, "http"); !h.IsNull() {
		if hc.HTTPPath, err = stringAttr(h, "path"); err != nil {
			return nil, err
		}
		hc.Port, err = intAttr(h, "port")
		return hc, err
	}
	t := attr(v, "tcp")
	if t.IsNull() {
		return nil, fmt.Errorf("neither http nor tcp")
	}
	hc.Port, err = intAttr(t, "port")
	return hc, err
}

// attr returns v.name, null when v is not an object with that attribute.
func attr(v cty.Value, name string) cty.Value {
	if v.IsNull() || !v.IsKnown() || !(v.Type().IsObjectType() && v.Type().HasAttribute(name)) {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return v.GetAttr(name)
}

func stringAttr(v cty.Value, name string) (string, error) {
	a := attr(v, name)
	if a.IsNull() || a.Type() != cty.String {
		return "", fmt.Errorf("%s is not a string", name)
	}
	return a.AsString(), nil
}

func numberAttr(v cty.Value, name string) (float64, error) {
	a := attr(v, name)
	if a.IsNull() || a.Type() != cty.Number {
		return 0, fmt.Errorf("%s is not a number", name)
	}
	f, _ := a.AsBigFloat().Float64()
	return f, nil
}

func intAttr(v cty.Value, name string) (int, error) {
	a := attr(v, name)
	if a.IsNull() || a.Type() != cty.Number {
		return 0, fmt.Errorf("%s is not a number", name)
	}
	bf := a.AsBigFloat()
	if !bf.IsInt() {
		return 0, fmt.Errorf("%s is not a whole number", name)
	}
	i, acc := bf.Int64()
	if acc != big.Exact || i < 0 || i > 1<<20 {
		return 0, fmt.Errorf("%s is out of range", name)
	}
	return int(i), nil
}

func durationAttr(v cty.Value, name string) (time.Duration, error) {
	s, err := stringAttr(v, name)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s %q is not a duration", name, s)
	}
	return d, nil
}
