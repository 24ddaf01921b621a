# Managed by Blueprint: load_balancer "${name}". Changes here are overwritten.
# One frontend and backend per listener: listener_PORT sends connections to
# the targets in targets_PORT. Statistics (CSV): http://ADDRESS:${stats_port}/stats;csv
global
	log /dev/log local0
	log /dev/log local1 notice
	chroot /var/lib/haproxy
	stats socket ${admin_socket} mode 660 level admin expose-fd listeners
	stats timeout 30s
	user haproxy
	group haproxy
	# After a reload, old workers finish their connections for at most this long.
	hard-stop-after 30s

defaults
	log global
	option dontlognull
	timeout connect 5s
	timeout client 50s
	timeout server 50s
	timeout http-request 10s
	timeout http-keep-alive 10s
	timeout check 5s
	# A connection a target refuses is retried on another one.
	retries 3
	option redispatch

frontend stats
	mode http
	bind :${stats_port}
	stats enable
	stats uri /stats
	stats refresh 10s
	http-request set-log-level silent
%{ for l in listeners ~}
%{ if coalesce(l.protocol, "http") == "http" }
frontend listener_${l.port}
	mode http
	bind :${l.port}
	option httplog
	option forwardfor
	# A reload answers requests on kept-alive connections before closing them.
	option idle-close-on-response
	default_backend targets_${l.port}

backend targets_${l.port}
	mode http
	balance ${coalesce(balance, "roundrobin")}
	option httpchk GET ${coalesce(try(health_check.path, null), "/")}
%{ else }
frontend listener_${l.port}
	mode tcp
	bind :${l.port}
	option tcplog
	default_backend targets_${l.port}

backend targets_${l.port}
	mode tcp
	balance ${coalesce(balance, "roundrobin")}
%{ endif ~}
	# Targets given by name start in maintenance until the name resolves.
	default-server init-addr last,libc,none check inter ${coalesce(try(health_check.interval, null), "2s")} rise ${coalesce(try(health_check.healthy_threshold, null), 2)} fall ${coalesce(try(health_check.unhealthy_threshold, null), 2)}
%{ for t in distinct(targets) ~}
	server ${t} ${t}:${coalesce(l.target_port, l.port)}
%{ endfor ~}
%{ endfor ~}
