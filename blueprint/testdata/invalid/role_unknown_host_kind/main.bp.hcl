role "app" {
  pakage "nginx" {} # ERROR: Unsupported block type
}
