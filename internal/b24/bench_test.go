package b24

import (
	"strconv"
	"testing"
	"time"
)

// idsReply is a pinAll reply as the portal sends it, with n IDs.
func idsReply(n int) []byte {
	b := []byte(`{"result":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(100000+i), 10)
	}
	return append(b, `],"time":{"start":1732600000.1234,"finish":1732600000.2345,"duration":0.1111,"processing":0.1,"date_start":"2024-11-26T08:00:00+00:00","date_finish":"2024-11-26T08:00:00+00:00","operating_reset_at":1732600600,"operating":0}}`...)
}

// BenchmarkDecodeIDs10k is the widget's path for a 10,000-ID result: the
// envelope checked (checkResponse), then the list read (decodeIDs).
func BenchmarkDecodeIDs10k(b *testing.B) {
	resp := &Response{Status: 200, ContentType: "application/json", Body: idsReply(10000)}
	now := func() time.Time { return time.Unix(1700000000, 0) }
	b.SetBytes(int64(len(resp.Body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, err := checkResponse(resp, now)
		if err != nil {
			b.Fatal(err)
		}
		ids, err := decodeIDs(v)
		if err != nil || len(ids.List) != 10000 {
			b.Fatal(len(ids.List), err)
		}
	}
}
