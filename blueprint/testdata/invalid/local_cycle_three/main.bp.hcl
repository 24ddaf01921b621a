locals {
  first  = local.second # ERROR: Cycle in local values
  second = local.third
  third  = upper(local.first)
  other  = local.first
}
