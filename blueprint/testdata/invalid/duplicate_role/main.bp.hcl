role "app" {
  package "nginx" {}
}
role "app" { # ERROR: Duplicate role
  package "curl" {}
}
