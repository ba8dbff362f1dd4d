"""Look and feel: a sober government-service theme (blue header, system Chinese fonts, nothing fetched online)."""

from __future__ import annotations

import gradio as gr

# System fonts only: the app runs offline, so no web-font download.
FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "Helvetica Neue", "Arial",
         "sans-serif"]
MONO = ["SFMono-Regular", "Consolas", "Noto Sans Mono CJK SC", "monospace"]


def theme() -> gr.themes.Base:
    """The app's theme."""
    return gr.themes.Default(
        primary_hue=gr.themes.colors.blue,
        secondary_hue=gr.themes.colors.sky,
        neutral_hue=gr.themes.colors.slate,
        radius_size=gr.themes.sizes.radius_sm,
        font=FONTS,
        font_mono=MONO,
    ).set(
        body_background_fill="#f3f6fa",
        block_border_width="1px",
        block_shadow="0 1px 2px rgba(15, 40, 80, 0.06)",
        button_primary_background_fill="#1d4f91",
        button_primary_background_fill_hover="#173f75",
        button_primary_text_color="#ffffff",
    )


CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
footer { display: none !important; }
#jx-header { background: linear-gradient(100deg, #133a6b 0%, #1d4f91 55%, #2a6cb8 100%); color: #fff;
  border-radius: 6px; padding: 18px 24px 14px; margin-bottom: 4px; }
#jx-header h1 { font-size: 24px; font-weight: 700; margin: 0 0 4px; color: #fff; letter-spacing: 1px; }
#jx-header .jx-sub { font-size: 14px; color: #dce8f8 !important; }
#jx-header .jx-draft { display: inline-block; margin-top: 8px; font-size: 12px; background: rgba(255,255,255,.14);
  border: 1px solid rgba(255,255,255,.35); border-radius: 3px; padding: 2px 8px; color: #fff !important; }
#jx-chat .placeholder-content, #jx-chat .placeholder { padding: 8px 28px; color: #33475b; }
.jx-note { color: #5b6b80; font-size: 13px; }
.jx-panel-title { font-weight: 600; font-size: 15px; color: #133a6b; border-left: 4px solid #1d4f91;
  padding-left: 8px; margin: 4px 0 8px; }
.jx-panel { font-size: 14px; line-height: 1.75; }
.jx-empty { color: #6b7a8f; background: #f7f9fc; border: 1px dashed #c9d5e6; border-radius: 4px; padding: 14px; }
.jx-chip { display: inline-block; color: #1d4f91; background: #e8f0fb; border: 1px solid #c3d6f2; border-radius: 3px;
  padding: 0 6px; margin-right: 6px; font-weight: 600; white-space: nowrap; }
.jx-chip-sm { font-size: 12px; font-weight: 500; padding: 0 4px; margin: 0 0 0 4px; }
.jx-cite, .jx-card { background: #fff; border: 1px solid #d7e0ec; border-radius: 4px; margin-bottom: 10px; }
.jx-cite > summary, .jx-card > summary { cursor: pointer; padding: 9px 12px; list-style-position: inside;
  font-weight: 600; color: #1f2d3d; }
.jx-cite[open] > summary, .jx-card[open] > summary { border-bottom: 1px solid #e6ecf4; background: #f7f9fc; }
.jx-cite > div, .jx-card > div { margin: 0 12px; }
.jx-path, .jx-hit-path, .jx-detail-path { color: #5b6b80; font-size: 13px; }
.jx-path { margin-top: 8px !important; }
.jx-clause-text { margin: 8px 12px 10px; color: #1f2d3d; white-space: pre-wrap; }
.jx-clause-text mark, .jx-hit-snippet mark { background: #ffe58f; color: inherit; padding: 0 1px; border-radius: 2px; }
.jx-units { font-size: 13px; color: #4a5a70; margin: 0 12px 10px !important; }
.jx-units span { margin-right: 12px; }
.jx-lead { color: #9a3412; }
.jx-section-title { font-weight: 600; color: #133a6b; margin: 14px 0 6px; }
.jx-calc { border: 1px solid #e1e8f2; border-radius: 4px; padding: 8px 10px; margin: 8px 0; background: #fbfcfe; }
.jx-calc-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; font-weight: 600; }
.jx-steps { margin: 6px 0 4px 18px; padding: 0; font-size: 13px; }
.jx-steps li { margin: 3px 0; }
.jx-notes { margin: 4px 0 4px 18px; padding: 0; font-size: 12.5px; color: #5b6b80; }
.jx-missing { background: #fff8e6; border: 1px solid #f5d98b; border-radius: 4px; padding: 6px 10px; margin: 6px 0;
  font-size: 13px; }
.jx-missing ul { margin: 4px 0 0 18px; padding: 0; }
.jx-badge { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 10px; padding: 1px 9px;
  margin-left: 6px; }
.jx-ok { background: #e3f6e8; color: #1e7b3a; }
.jx-no { background: #f1f3f6; color: #6b7a8f; }
.jx-wait { background: #fff4d6; color: #9a6700; }
.jx-amount { color: #b42318; font-weight: 700; margin-left: 8px; }
.jx-cap { color: #5b6b80; font-size: 12px; font-weight: 400; margin-left: 8px; }
.jx-summary { background: #eef4fc; border: 1px solid #c9daf2; border-radius: 4px; padding: 10px 14px;
  margin-bottom: 10px; font-size: 15px; }
.jx-card-ok { border-left: 4px solid #2e9d52; }
.jx-card-wait { border-left: 4px solid #e0a106; }
.jx-card-no { border-left: 4px solid #a7b3c2; }
.jx-next { font-size: 13px; color: #1d4f91; margin-top: 6px !important; }
.jx-card > details, .jx-card .jx-calc { margin: 8px 12px; }
.jx-footnotes { font-size: 12.5px; color: #5b6b80; }
.jx-msg { border-radius: 4px; padding: 10px 14px; font-size: 14px; }
.jx-msg-info { background: #eef4fc; border: 1px solid #c9daf2; color: #1d4f91; }
.jx-msg-warn { background: #fff8e6; border: 1px solid #f5d98b; color: #7a5200; }
.jx-msg-error { background: #fdecec; border: 1px solid #f5b5b5; color: #9b1c1c; }
.jx-hits { display: flex; flex-direction: column; gap: 8px; }
.jx-hit { background: #fff; border: 1px solid #d7e0ec; border-radius: 4px; padding: 9px 12px; cursor: pointer;
  transition: border-color .15s, box-shadow .15s; }
.jx-hit:hover, .jx-hit:focus { border-color: #1d4f91; box-shadow: 0 0 0 2px rgba(29,79,145,.12); outline: none; }
.jx-hit.jx-active { border-color: #1d4f91; background: #f4f8fe; }
.jx-hit-head { display: flex; align-items: center; gap: 4px; margin-bottom: 4px; }
.jx-hit-path { flex: 1; }
.jx-tag { font-size: 12px; color: #1d4f91; background: #eef4fc; border-radius: 3px; padding: 0 6px; }
.jx-hit-snippet { font-size: 13.5px; color: #1f2d3d; line-height: 1.7; }
.jx-hit .jx-lead { font-size: 12.5px; }
.jx-detail { background: #fff; border: 1px solid #d7e0ec; border-radius: 4px; padding: 4px 0 2px; font-size: 14.5px;
  line-height: 1.8; }
.jx-detail-head { padding: 8px 12px; border-bottom: 1px solid #e6ecf4; background: #f7f9fc; }
#jx-chat .message-row .message { font-size: 14.5px; }
#jx-header .jx-version { font-size: 13px; color: #ffffff !important; margin-top: 2px; }
.jx-compare { width: 100%; border-collapse: collapse; margin-bottom: 14px; font-size: 14px; line-height: 1.8; }
.jx-compare th, .jx-compare td { border: 1px solid #d7e0ec; padding: 6px 10px; vertical-align: top; width: 50%; }
.jx-compare th { background: #f7f9fc; text-align: left; font-weight: 600; }
.jx-compare del { background: #fde2e1; color: #9b1c1c; text-decoration: line-through; }
.jx-compare ins { background: #dcf5e3; color: #14532d; text-decoration: none; font-weight: 600; }
.jx-figures { font-size: 13px; color: #1d4f91; }
"""

# The header names the version in force ({title}, {version}); a draft adds the caution line.
HEADER = """
<div id="jx-header">
  <h1>嘉兴市人工智能政策助手</h1>
  <div class="jx-sub">《{title}》 · 政策问答 · 补贴测算 · 条款查询</div>
  <div class="jx-version" id="jx-version">现行版本：{version}</div>{draft}
</div>
"""
DRAFT_LINE = """
  <div class="jx-draft">本文件为征求意见稿，回答与测算仅供参考，以正式印发文件及主管部门审核认定为准</div>"""
