# Managed by Blueprint: dns_zone "${name}". Changes here are overwritten.
launch=gsqlite3
gsqlite3-database=/var/lib/powerdns/pdns.sqlite3
api=yes
api-key=${api_key}
webserver=yes
webserver-address=0.0.0.0
webserver-port=${api_port}
webserver-allow-from=0.0.0.0/0,::/0
# Failover and weighted records are LUA records, checked every second.
enable-lua-records=yes
lua-health-checks-interval=1
# No answer caches: a changed record or a failed health check answers at once.
cache-ttl=0
query-cache-ttl=0
negquery-cache-ttl=0
# No security-status queries to the Internet.
security-poll-suffix=
