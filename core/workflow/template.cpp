// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <algorithm>

#include "core/brief/brief.h"
#include "template_p.h"

namespace brieflow::workflowtemplate {

namespace {

const QString briefPrefix = QStringLiteral("brief.");
const QString stepsPrefix = QStringLiteral("steps.");

bool isValidPath(QStringView path)
{
    if (path.isEmpty() || path.startsWith(u'.') || path.endsWith(u'.') || path.contains(u".."))
        return false;
    for (const QChar c : path) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z')
                        || (u >= u'0' && u <= u'9') || u == u'_' || u == u'.';
        if (!ok)
            return false;
    }
    return true;
}

QString placeholder(const QString &path)
{
    return QStringLiteral("“{{%1}}”").arg(path);
}

} // namespace

bool hasTags(QStringView text)
{
    return text.contains(u"{{");
}

Tokens tokenize(QStringView text)
{
    Tokens out;
    QStringList open;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype start = text.indexOf(u"{{", pos);
        if (start < 0) {
            out.tags.append({Tag::Kind::Text, text.mid(pos).toString()});
            break;
        }
        if (start > pos)
            out.tags.append({Tag::Kind::Text, text.mid(pos, start - pos).toString()});
        const qsizetype end = text.indexOf(u"}}", start + 2);
        if (end < 0) {
            out.error = QStringLiteral("“{{” without a closing “}}”: “%1”.")
                            .arg(text.mid(start, 40).toString());
            return out;
        }
        const QStringView raw = text.mid(start, end + 2 - start);
        QStringView inner = text.mid(start + 2, end - start - 2).trimmed();
        Tag::Kind kind = Tag::Kind::Value;
        if (inner.startsWith(u'#'))
            kind = Tag::Kind::Section;
        else if (inner.startsWith(u'^'))
            kind = Tag::Kind::Inverted;
        else if (inner.startsWith(u'/'))
            kind = Tag::Kind::End;
        if (kind != Tag::Kind::Value) {
            inner = inner.mid(1).trimmed();
        } else if (!inner.isEmpty() && QStringView(u"!>&{=").contains(inner.front())) {
            out.error = QStringLiteral("“%1” is not supported: a template has only {{value}}, "
                                       "{{#value}}…{{/value}} and {{^value}}…{{/value}}.")
                            .arg(raw.toString());
            return out;
        }
        if (!isValidPath(inner)) {
            out.error = QStringLiteral("“%1” is not a placeholder: write e.g. "
                                       "{{brief.product_name}} or {{steps.concept.output}}.")
                            .arg(raw.toString());
            return out;
        }
        const QString path = inner.toString();
        if (kind == Tag::Kind::Section || kind == Tag::Kind::Inverted) {
            open.append(path);
        } else if (kind == Tag::Kind::End) {
            if (open.isEmpty()) {
                out.error =
                    QStringLiteral("“{{/%1}}” closes a section that was never opened.").arg(path);
                return out;
            }
            if (open.constLast() != path) {
                out.error = QStringLiteral("“{{/%1}}” doesn't match the open section “{{#%2}}”: "
                                           "close it with {{/%2}} first.")
                                .arg(path, open.constLast());
                return out;
            }
            open.removeLast();
        }
        out.tags.append({kind, path});
        pos = end + 2;
    }
    if (!open.isEmpty()) {
        out.error = QStringLiteral("The section “{{#%1}}” is never closed with “{{/%1}}”.")
                        .arg(open.constLast());
    }
    return out;
}

QStringList briefPaths()
{
    QStringList paths;
    for (const QString &field : briefFields())
        paths.append(briefPrefix + field);
    return paths;
}

bool isOptionalBriefPath(const QString &path)
{
    return path == briefPrefix + BriefField::Tone || path == briefPrefix + BriefField::BrandNotes;
}

QString stepOfPath(const QString &path)
{
    if (!path.startsWith(stepsPrefix))
        return {};
    const QStringList parts = path.split(QLatin1Char('.'));
    if (parts.size() != 3 || parts.at(2) != QLatin1StringView("output"))
        return {};
    return parts.at(1);
}

QStringList problems(QStringView text, const Scope &scope)
{
    const Tokens tokens = tokenize(text);
    if (!tokens.error.isEmpty())
        return {tokens.error};

    static const QStringList brief = briefPaths();
    QStringList result;
    QList<Tag> open;
    for (const Tag &tag : tokens.tags) {
        if (tag.kind == Tag::Kind::Text)
            continue;
        if (tag.kind == Tag::Kind::End) {
            open.removeLast();
            continue;
        }
        const QString &path = tag.text;
        if (path.startsWith(briefPrefix)) {
            if (!brief.contains(path)) {
                result.append(QStringLiteral("Unknown brief field %1. The brief fields are %2.")
                                  .arg(placeholder(path), brief.join(QStringLiteral(", "))));
            } else if (tag.kind == Tag::Kind::Value && isOptionalBriefPath(path)) {
                const bool guarded = std::any_of(open.cbegin(), open.cend(), [&](const Tag &s) {
                    return s.kind == Tag::Kind::Section && s.text == path;
                });
                if (!guarded)
                    result.append(QStringLiteral("%1 is optional and may be empty: put it inside "
                                                 "{{#%2}}…{{/%2}}.")
                                      .arg(placeholder(path), path));
            }
        } else if (path.startsWith(stepsPrefix)) {
            const QString step = stepOfPath(path);
            if (step.isEmpty()) {
                result.append(QStringLiteral("%1 is not a step output: write "
                                             "{{steps.<step name>.output}}.")
                                  .arg(placeholder(path)));
            } else if (step == scope.self) {
                result.append(
                    QStringLiteral("%1: a step can't use its own output.").arg(placeholder(path)));
            } else if (scope.earlierOtherSteps.contains(step)) {
                result.append(QStringLiteral("%1: step “%2” has no text output to use; only text "
                                             "steps have one.")
                                  .arg(placeholder(path), step));
            } else if (scope.laterSteps.contains(step)) {
                result.append(QStringLiteral("%1: step “%2” runs after this one; a step can only "
                                             "use the outputs of earlier steps.")
                                  .arg(placeholder(path), step));
            } else if (!scope.earlierTextSteps.contains(step)) {
                result.append(QStringLiteral("%1: there is no step “%2” in this workflow.")
                                  .arg(placeholder(path), step));
            }
        } else {
            result.append(QStringLiteral("Unknown placeholder %1: placeholders start with "
                                         "“brief.” or “steps.”, e.g. {{brief.product_name}} or "
                                         "{{steps.concept.output}}.")
                              .arg(placeholder(path)));
        }
        if (tag.kind == Tag::Kind::Section || tag.kind == Tag::Kind::Inverted)
            open.append(tag);
    }
    result.removeDuplicates();
    return result;
}

} // namespace brieflow::workflowtemplate
