package scenarios

import (
	"fmt"
	"reflect"
)

// The lab's leaf.<key> axis: any key of the leafnodes section, such as
// leaf.reconnect or leaf.reconnect_spread (the leaf herd's mitigation).

func checkLeafAxis(key string, values []string) error {
	if err := checkSectionKey(key, reflect.TypeFor[LeafNodes]()); err != nil {
		return err
	}
	for _, v := range values {
		if err := decodeSetting(&LeafNodes{}, key, v); err != nil {
			return err
		}
	}
	return nil
}

func applyLeafSetting(sc *Scenario, s Setting) error {
	if sc.LeafNodes == nil {
		return fmt.Errorf("%s=%s: the scenario has no leafnodes section", s.Key, s.Value)
	}
	return decodeSetting(sc.LeafNodes, s.Key, s.Value)
}
