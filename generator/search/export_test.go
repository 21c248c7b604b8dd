package search

// CompareUTF16 exports compareUTF16 to the tests.
var CompareUTF16 = compareUTF16
