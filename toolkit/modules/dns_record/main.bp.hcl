# The self-hosted dns_record: a record of the powerdns provider on the
# server of the self-hosted dns_zone it belongs to (its server output,
# which bp passes as var.server). bp embeds this module and calls it for a
# dns_record resource whose provider has no native one; its variables are
# the resource's arguments.

variable "realization_name" {
  type        = string
  description = "The resource's name (\"www\", or \"www-0\" for counted instances)."
}

variable "server" {
  type = object({
    api_url = string
    api_key = string
  })
  sensitive   = true
  description = "The PowerDNS API holding the zone: the self-hosted dns_zone's server output."
}

variable "zone" {
  type        = string
  description = "The zone's name, such as resource.dns_zone.main.name."
}

variable "name" {
  type        = string
  description = "The name relative to the zone, such as \"www\"; \"@\" is the zone apex."
}

variable "type" {
  type        = string
  description = "Record type: A, AAAA, CNAME, TXT, MX or SRV."
}

variable "records" {
  type        = list(string)
  description = "The records' data."
}

variable "ttl" {
  type        = number
  default     = null
  description = "Time to live of the answers, in seconds (default 300)."
}

variable "routing" {
  type = object({
    policy     = string
    check_port = optional(number)
    check_url  = optional(string)
    secondary  = optional(list(string))
    weights    = optional(list(number))
  })
  default     = null
  description = "Health-checked (failover) or weighted answers, as PowerDNS LUA records."
}

resource "dns_record" "this" {
  provider = powerdns
  api_url  = var.server.api_url
  api_key  = var.server.api_key
  zone     = var.zone
  name     = var.name
  type     = var.type
  records  = var.records
  ttl      = var.ttl
  dynamic "routing" {
    for_each = var.routing == null ? [] : [var.routing]
    content {
      policy     = routing.value.policy
      check_port = routing.value.check_port
      check_url  = routing.value.check_url
      secondary  = routing.value.secondary
      weights    = routing.value.weights
    }
  }
}

output "zone" { value = var.zone }
output "name" { value = var.name }
output "type" { value = var.type }
output "records" { value = var.records }
output "ttl" { value = resource.dns_record.this.ttl }
output "routing" { value = var.routing }
output "fqdn" {
  value       = resource.dns_record.this.fqdn
  description = "The absolute name, such as \"www.example.test.\"."
}
