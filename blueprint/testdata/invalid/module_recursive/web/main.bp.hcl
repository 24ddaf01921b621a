module "again" {
  source = "../" # ERROR: Recursive module call
}
