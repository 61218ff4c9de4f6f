/// The exchange's rates, per unit and month (seed 003 asks for ≥ 90 %; Tong'an 2013 published request
/// rate 99.56 %, reply rate 99.69 %, on-time 99.39 %). Targets are left to each deployment's plan.
public enum ExchangeIndicator {
    public static let requestsAnswered = Indicator(code: "X01-requests-answered", module: "exchange", name: Text("协查反馈率（户籍地）", "Requests answered (hukou side)"),
        numerator: Text("已反馈的", "Answered"), denominator: Text("期内收到的协查", "Requests received in the period"), target: 0.9, period: .month)
    public static let replyRate = Indicator(code: "X02-reply-rate", module: "exchange", name: Text("协查回复率（流入地）", "Requests replied to (inflow side)"),
        numerator: Text("已收到反馈的", "Replied to"), denominator: Text("期内发出的协查", "Requests sent in the period"), target: 0.9, period: .month)
    public static let onTime = Indicator(code: "X03-replies-on-time", module: "exchange", name: Text("协查反馈及时率", "Replies in time"),
        numerator: Text("在期限内反馈的", "Within the deadline"), denominator: Text("期内发出并已收到反馈的协查", "Requests of the period replied to"), target: 0.9, period: .month)
    public static let notFound = Indicator(code: "X04-not-found", module: "exchange", name: Text("查无此人率", "Not found"),
        numerator: Text("反馈查无此人的", "Answered not found"), denominator: Text("期内发出并已收到反馈的协查", "Requests of the period replied to"),
        target: nil, direction: .lower, period: .month)
}
