locals {
  site = "a.example.test"
}
locals {
  site = "b.example.test" # ERROR: Duplicate local value
}
