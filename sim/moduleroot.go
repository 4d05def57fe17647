package sim

// ModuleRoot is the folder of the natschaos module when the working
// directory is inside it, else "": where natschaos can build itself
// against another release of a dependency (qualify's client workers).
func ModuleRoot() string { return moduleRoot() }
