module "db" {
  source = "github.com/acme/db" # ERROR: Unsupported module source
}
