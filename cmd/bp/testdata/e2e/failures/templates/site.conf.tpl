server {
  listen 80 default_server;
  root /var/www/html;
  index index.nginx-debian.html;
  add_header X-Bp-Revision ${revision} always;
}
