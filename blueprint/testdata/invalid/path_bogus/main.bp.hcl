locals {
  dir = path.modul # ERROR: Invalid reference
}
