# Managed by Blueprint: changes here are overwritten.
server {
  listen 80 default_server;
  server_name ${server_name};
  root /var/www/html;
  add_header X-Served-By "${name}";
  location / {
    try_files $uri $uri/ =404;
  }
}
