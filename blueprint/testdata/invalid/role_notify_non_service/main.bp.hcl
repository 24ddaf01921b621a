role "app" {
  package "nginx" {}
  file "/etc/nginx/nginx.conf" {
    content = "x"
    notify  = [package.nginx] # ERROR: Invalid notify target
  }
}
