#!/usr/bin/python3
"""Writes greenlight(1) and greenlight-COMMAND(1) from the command-line definitions.

Reads what `greenlight --experimental-dump-help` prints (swift-argument-parser's own
description of every command, option and help text) and renders man(7) pages; a
subcommand's SYNOPSIS is the USAGE of `greenlight help COMMAND`, which the dump lacks. A help
text's lines at the left margin that start with "Exit status", "Environment", "Files"
or "Examples" open the EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES sections, which hold
the indented blocks under them (the next paragraph at the margin is DESCRIPTION's again);
an indented two-column table becomes a tagged list, any other indented block stays as
typed.

usage: make-man.py GREENLIGHT OUTPUT-FOLDER VERSION DATE
"""

import json
import os
import re
import subprocess
import sys

SECTIONS = {
    "Exit status": "EXIT STATUS",
    "Environment": "ENVIRONMENT",
    "Files": "FILES",
    "Examples": "EXAMPLES",
}
ORDER = ["DESCRIPTION", "OPTIONS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "FILES",
         "EXAMPLES", "SEE ALSO"]


def escape(text):
    """Text as roff shows it literally: backslashes, minus signs, non-ASCII."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    text = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)
    return text


def line(text):
    """One input line of text, safe from being read as a request."""
    text = escape(text)
    return "\\&" + text if text.startswith((".", "'")) else text


def blocks(discussion):
    """The discussion as (indent, lines) blocks: 0 for a paragraph, >0 for a table."""
    found = []
    for raw in discussion.split("\n"):
        if not raw.strip():
            found.append(None)
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        kind = 0 if indent == 0 else 1
        if found and found[-1] is not None and found[-1][0] == kind:
            found[-1][1].append(raw)
        else:
            found.append((kind, [raw]))
    return [block for block in found if block is not None]


def table(lines):
    """[(term, description)] when the indented lines are a two-column table, else None."""
    base = min(len(l) - len(l.lstrip(" ")) for l in lines)
    rows = []
    for raw in lines:
        indent = len(raw) - len(raw.lstrip(" "))
        text = raw.strip()
        if indent == base:
            match = re.match(r"(\S.*?)\s{2,}(\S.*)$", text)
            if not match:
                return None
            rows.append([match.group(1), match.group(2)])
        elif rows:
            rows[-1][1] += " " + text
        else:
            return None
    return rows


def render_blocks(parts, literal=False):
    out = []
    for kind, lines in parts:
        if kind == 0:
            out += [".PP"] + [line(l) for l in lines]
            continue
        rows = None if literal else table(lines)
        if rows:
            for term, description in rows:
                out += [".TP", "\\fB%s\\fR" % escape(term), line(description)]
        else:
            base = min(len(l) - len(l.lstrip(" ")) for l in lines)
            out += [".PP", ".RS 4", ".nf"] + [line(l[base:]) for l in lines] + [".fi", ".RE"]
    return out


def split_sections(discussion):
    """{section title: [blocks]} from a discussion's headings."""
    sections = {"DESCRIPTION": []}
    current = "DESCRIPTION"
    for kind, lines in blocks(discussion or ""):
        first = lines[0]
        heading = next((k for k in SECTIONS if kind == 0 and first.startswith(k)), None)
        if heading:
            current = SECTIONS[heading]
            sections.setdefault(current, [])
            rest = first[len(heading):].strip().strip(":").strip()
            if rest.startswith("(") and rest.endswith(")"):
                rest = rest[1:-1] + "."
            rest = rest[:1].upper() + rest[1:]
            tail = ([rest] if rest else []) + lines[1:]
            if tail:
                sections[current].append((0, tail))
            continue
        if kind == 0:
            current = "DESCRIPTION"  # a section holds the indented blocks under its heading
        sections[current].append((kind, lines))
    return sections


def option_term(argument, in_synopsis=False):
    names = sorted(argument.get("names", []), key=lambda n: n["kind"] != "short")
    if in_synopsis and argument.get("preferredName"):
        names = [argument["preferredName"]]
    shown = ", ".join(("-" if n["kind"] == "short" else "--") + n["name"] for n in names)
    value = argument.get("valueName", "")
    if argument["kind"] == "positional":
        return "\\fI%s\\fR" % escape(value)
    term = "\\fB%s\\fR" % escape(shown)
    if argument["kind"] == "option":
        term += " \\fI%s\\fR" % escape(value)
    return term


def options(command):
    out = []
    for argument in command.get("arguments", []):
        if not argument.get("shouldDisplay", True):
            continue
        description = argument.get("abstract", "")
        values = argument.get("allValueStrings")
        if values and argument["kind"] == "option":
            description += " Values: %s." % ", ".join(values)
        if argument.get("defaultValue") not in (None, ""):
            description += " Default: %s." % argument["defaultValue"]
        if argument.get("isRepeating") and argument["kind"] == "positional":
            description += " May be repeated."
        out += [".TP", option_term(argument), line(description.strip())]
    return out


def usage(binary, path):
    """The USAGE lines of `greenlight help COMMAND`: the parser's own, the command's
    `usage:` when it has one."""
    text = subprocess.run([binary, "help"] + path[1:], check=True, capture_output=True,
                          text=True).stdout
    lines = []
    for raw in text.split("\n"):
        if raw.startswith("USAGE:"):
            lines.append(raw[len("USAGE:"):].strip())
        elif lines and raw.startswith(" "):
            lines.append(raw.strip())
        elif lines:
            break
    return lines


def usage_synopsis(lines, path):
    """Each usage line as its own line, the command's words in bold."""
    name = " ".join(path)
    out = [".PP"]
    for index, text in enumerate(lines):
        if index:
            out.append(".br")
        rest = text[len(name):].strip() if text.startswith(name) else text
        rest = re.sub(r"\s{2,}", "  ", rest)
        out += ["\\fB%s\\fR %s" % (escape(name), escape(rest))]
    return out


def synopsis(command, path):
    words = ["\\fB%s\\fR" % escape(" ".join(path))]
    if command.get("subcommands"):
        words.append("\\fIcommand\\fR")
    for argument in command.get("arguments", []):
        if not argument.get("shouldDisplay", True) or argument.get("names", [{}])[0].get(
                "name") in ("help", "version"):
            continue
        term = option_term(argument, in_synopsis=True)
        if argument.get("isRepeating"):
            term += " ..."
        words.append("[%s]" % term if argument.get("isOptional") else term)
    return [".PP", " ".join(words)]


def page(command, path, version, date, commands, usage_lines):
    name = "-".join(path)
    sections = split_sections(command.get("discussion"))
    rendered = {"DESCRIPTION": [".PP", line(command.get("abstract", ""))] +
                render_blocks(sections.pop("DESCRIPTION"))}
    for title, parts in sections.items():
        rendered[title] = render_blocks(parts, literal=title == "EXAMPLES")
    # A command that takes python's own command line has no options of greenlight's.
    if not any(a.get("parsingStrategy") == "allUnrecognized"
               for a in command.get("arguments", [])):
        rendered["OPTIONS"] = options(command)
    if command.get("subcommands"):
        rendered["COMMANDS"] = []
        for sub in command["subcommands"]:
            if sub["commandName"] == "help":
                continue
            rendered["COMMANDS"] += [".TP", "\\fB%s\\fR" % escape(sub["commandName"]),
                                     line(sub.get("abstract", "")) + " See \\fBgreenlight\\-"
                                     + escape(sub["commandName"]) + "\\fR(1)."]
    see = [c for c in commands if c != name]
    rendered["SEE ALSO"] = [".PP", ",\n".join("\\fB%s\\fR(1)" % escape(c) for c in see)
                            + ",\n\\fBpython3\\fR(1)"]
    out = ['.TH "%s" 1 "%s" "greenlight %s" "greenlight manual"' % (
        escape(name.upper()), date, escape(version)),
        # Left-aligned, never hyphenated: the text is full of names, paths and options.
        ".ad l", ".nh",
        ".SH NAME", "%s \\- %s" % (escape(name), escape(command.get("abstract", ""))),
        ".SH SYNOPSIS"] + (usage_synopsis(usage_lines, path)
                           if len(path) > 1 and usage_lines else synopsis(command, path))
    for title in ORDER:
        if rendered.get(title):
            out += [".SH %s" % title] + rendered[title]
    return "\n".join(out) + "\n"


def main():
    binary, folder, version, date = sys.argv[1:5]
    dump = json.loads(subprocess.run([binary, "--experimental-dump-help"], check=True,
                                     capture_output=True, text=True).stdout)
    root = dump["command"]
    subs = [s for s in root.get("subcommands", []) if s["commandName"] != "help"]
    commands = ["greenlight"] + ["greenlight-" + s["commandName"] for s in subs]
    os.makedirs(folder, exist_ok=True)
    for command, path in [(root, ["greenlight"])] + [(s, ["greenlight", s["commandName"]])
                                                      for s in subs]:
        with open(os.path.join(folder, "-".join(path) + ".1"), "w") as out:
            out.write(page(command, path, version, date, commands, usage(binary, path)))


if __name__ == "__main__":
    main()
