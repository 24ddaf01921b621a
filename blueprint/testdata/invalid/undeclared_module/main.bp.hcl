output "db" {
  value = module.db.address # ERROR: Reference to undeclared module
}
