// Command hello is the smallest program the wasmbuild tests build.
package main

import "strings"

func main() { println(strings.ToUpper("ready")) }
