# managed by bp
server {
  server_name ${server_name};
%{ for port in ports ~}
  listen ${port};
%{ endfor ~}
%{ if tls ~}
  ssl_certificate ${cert};
%{ else ~}
  # no TLS
%{ endif ~}
%{ for name, addr in upstreams ~}
  # upstream ${name} at ${addr}
%{ endfor ~}
}
