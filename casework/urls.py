from django.urls import path

from casework.views import meetings, memos

app_name = "casework"

urlpatterns = [
    path("arenden/", memos.case_list, name="case_list"),
    path("arenden/<int:pk>/", memos.case_detail, name="case_detail"),
    path("arenden/<int:pk>/andra/", memos.case_edit, name="case_edit"),
    path("arenden/<int:pk>/tjansteskrivelse/", memos.memo_create, name="memo_create"),
    path("tjansteskrivelser/", memos.memo_list, name="memo_list"),
    path("tjansteskrivelser/<int:pk>/", memos.memo_detail, name="memo_detail"),
    path("tjansteskrivelser/<int:pk>/spara/", memos.memo_save, name="memo_save"),
    path("tjansteskrivelser/<int:pk>/forhandsgranska/", memos.memo_preview, name="memo_preview"),
    path("tjansteskrivelser/<int:pk>/pdf/", memos.memo_render, name="memo_render"),
    # One endpoint per step of the memo's way; the paths are the ones bookmarks know.
    path("tjansteskrivelser/<int:pk>/steg/granskning/", memos.memo_submit, name="memo_submit"),
    path("tjansteskrivelser/<int:pk>/steg/aterfor/", memos.memo_return, name="memo_return"),
    path("tjansteskrivelser/<int:pk>/steg/godkann/", memos.memo_approve, name="memo_approve"),
    path("tjansteskrivelser/<int:pk>/steg/skicka/", memos.memo_send, name="memo_send"),
    path(
        "tjansteskrivelser/<int:pk>/steg/ny-revision/",
        memos.memo_new_revision,
        name="memo_new_revision",
    ),
    path("tjansteskrivelser/<int:pk>/undertecknare/", memos.signatory_add, name="signatory_add"),
    path(
        "tjansteskrivelser/<int:pk>/undertecknare/<int:sid>/upp/",
        memos.signatory_up,
        name="signatory_up",
    ),
    path(
        "tjansteskrivelser/<int:pk>/undertecknare/<int:sid>/ner/",
        memos.signatory_down,
        name="signatory_down",
    ),
    path(
        "tjansteskrivelser/<int:pk>/undertecknare/<int:sid>/ta-bort/",
        memos.signatory_remove,
        name="signatory_remove",
    ),
    path(
        "tjansteskrivelser/<int:pk>/handlingar/", memos.attachment_upload, name="attachment_upload"
    ),
    path(
        "tjansteskrivelser/<int:pk>/handlingar/i-systemet/",
        memos.attachment_link,
        name="attachment_link",
    ),
    path(
        "tjansteskrivelser/<int:pk>/handlingar/<int:aid>/upp/",
        memos.attachment_up,
        name="attachment_up",
    ),
    path(
        "tjansteskrivelser/<int:pk>/handlingar/<int:aid>/ner/",
        memos.attachment_down,
        name="attachment_down",
    ),
    path(
        "tjansteskrivelser/<int:pk>/handlingar/<int:aid>/ta-bort/",
        memos.attachment_remove,
        name="attachment_remove",
    ),
    path("tjansteskrivelser/<int:pk>/avsnitt/", memos.section_add, name="section_add"),
    path(
        "tjansteskrivelser/<int:pk>/avsnitt/<int:sid>/ta-bort/",
        memos.section_remove,
        name="section_remove",
    ),
    path("sammantraden/", meetings.meeting_list, name="meeting_list"),
    path("sammantraden/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("sammantraden/<int:pk>/punkter/", meetings.item_add, name="item_add"),
    path("sammantraden/<int:pk>/punkter/<int:iid>/upp/", meetings.item_up, name="item_up"),
    path("sammantraden/<int:pk>/punkter/<int:iid>/ner/", meetings.item_down, name="item_down"),
    path(
        "sammantraden/<int:pk>/punkter/<int:iid>/ta-bort/",
        meetings.item_remove,
        name="item_remove",
    ),
    path(
        "sammantraden/<int:pk>/punkter/<int:iid>/protokoll",
        meetings.decision_record,
        name="decision_record",
    ),
    path("sammantraden/<int:pk>/skicka/", meetings.meeting_send, name="meeting_send"),
    path(
        "sammantraden/<int:pk>/forhandsgranska/",
        meetings.meeting_preview,
        name="meeting_preview",
    ),
    path(
        "sammantraden/<int:pk>/pdf/<slug:variant>/",
        meetings.meeting_render,
        name="meeting_render",
    ),
    path("lasrum/", meetings.reading_room, name="reading_room"),
    path("aterrapportering/", meetings.report_back_list, name="report_back"),
]
