written for ${who} on ${host.name} (${host.facts.arch})
