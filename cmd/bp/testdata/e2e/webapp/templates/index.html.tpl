${greeting} from ${host.name} (${host.facts.os} ${host.facts.os_version}, ${host.facts.cpus} CPUs)
