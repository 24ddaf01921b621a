# A small blueprint on the built-in std provider: it writes files on the
# machine running bp, so the whole plan → apply → drift → destroy cycle runs
# anywhere without a cloud.

blueprint {
  backend "local" {
    path = "bp.state"
  }
}

variable "file_count" {
  type        = number
  default     = 2
  description = "How many greeting files to write."
  validation {
    condition     = var.file_count >= 0 && var.file_count <= 20
    error_message = "file_count must be between 0 and 20."
  }
}

variable "greeting" {
  type    = string
  default = "hello"
}

# A password chosen once and kept; it never appears in plans or output.
resource "std_random" "password" {
  length = 16
}

resource "std_file" "greeting" {
  count   = var.file_count
  path    = "${path.module}/out/greeting-${count.index}.txt"
  content = "${var.greeting} from file ${count.index}\n"
}

resource "std_file" "credentials" {
  path    = "${path.module}/out/credentials.txt"
  content = "password=${std_random.password.result}\n"
  mode    = "0600"
}

# Replaced whenever the set of greeting files changes.
resource "std_null" "index" {
  triggers = {
    files = join(",", std_file.greeting[*].path)
  }
  inputs = {
    count = var.file_count
  }
}

output "files" {
  value = std_file.greeting[*].path
}

output "index_id" {
  value = std_null.index.id
}

output "password" {
  value     = std_random.password.result
  sensitive = true
}
