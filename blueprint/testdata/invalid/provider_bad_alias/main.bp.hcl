provider "local" {
  alias = "east coast" # ERROR: Invalid provider alias name
}
