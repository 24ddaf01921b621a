role "app" {
  package "nginx" {}
  service "nginx" {}
  package "nginx" {} # ERROR: Duplicate host resource
}
