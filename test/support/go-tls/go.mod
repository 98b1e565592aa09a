module milvustls/gotls

go 1.19
