// Package haproxy reads load from an HAProxy load balancer and takes servers
// in and out of rotation.
//
// It parses HAProxy's statistics CSV (the stats page's `;csv` export and the
// runtime API's `show stat` share one format), turns a backend's figures
// into per-member values for the autoscaler (requests per second per
// serving server, current sessions per server, average response time), and
// drives the runtime API over the stats socket (`set server B/S state
// drain|ready|maint`) so a member is drained before it is removed.
//
// It is not the load balancer's configuration: the self-hosted
// load_balancer realization writes haproxy.cfg; this package only talks to
// a running HAProxy.
package haproxy
