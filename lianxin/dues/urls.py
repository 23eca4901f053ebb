from django.urls import path

from lianxin.dues.views import imports, ledger, members

app_name = "dues"

urlpatterns = [
    path("", ledger.ledger, name="ledger"),
    path("ledger.xlsx", ledger.ledger_download, name="ledger_export"),
    path("unassessed/", ledger.unassessed, name="unassessed"),
    path("unassessed/carry-forward/", ledger.carry_forward, name="carry_forward"),
    path("arrears/", ledger.arrears, name="arrears"),
    path("collection/", ledger.collection, name="collection"),
    path("collection/hand-over/", ledger.handover, name="handover"),
    path("import/", imports.statement, name="import"),
    path("mine/", members.mine, name="mine"),
    path("members/<int:pk>/", members.member_dues, name="member"),
    path("members/<int:pk>/assess/", members.assess, name="assess"),
    path("members/<int:pk>/pay/", members.pay, name="pay"),
    path("payments/<int:pk>/", members.receipt, name="receipt"),
    path("payments/<int:pk>/receipt.docx", members.receipt_word, name="receipt_docx"),
    path("payments/<int:pk>/void/", members.void, name="void"),
]
