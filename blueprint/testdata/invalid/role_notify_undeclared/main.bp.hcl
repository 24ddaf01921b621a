role "app" {
  service "nginx" {}
  file "/etc/nginx/nginx.conf" {
    content = "x"
    notify  = [service.ngnix] # ERROR: Reference to undeclared host resource
  }
}
