server {
  listen 80 default_server;
  server_name ${server_name};
  root /var/www/html;
  index index.html;
  # host ${index}
  # EDIT HERE
}
