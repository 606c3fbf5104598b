"""Every SPARQL text essgraph writes itself, one module per resource; values come as bindings."""
