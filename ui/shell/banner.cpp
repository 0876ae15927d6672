// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/shell/banner.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace brieflow::ui {

Banner::Banner(Kind kind, QWidget *parent)
    : QFrame(parent)
    , m_kind(kind)
{
    setAutoFillBackground(true);
    setAccessibleDescription(tr("Notice"));
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(16, 8, 16, 8);
    row->setSpacing(8);
    m_icon = new QLabel(this);
    m_icon->setFixedSize(20, 20);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_buttons = new QHBoxLayout;
    m_buttons->setSpacing(8);
    row->addWidget(m_icon, 0, Qt::AlignTop);
    row->addWidget(m_text, 1);
    row->addLayout(m_buttons);
    applyPalette();
}

void Banner::setKind(Kind kind)
{
    m_kind = kind;
    applyPalette();
}

void Banner::setText(const QString &text)
{
    m_text->setText(text);
    setAccessibleName(text);
}

QString Banner::text() const
{
    return m_text->text();
}

QPushButton *Banner::addButton(const QString &text, const QString &toolTip)
{
    auto *button = new QPushButton(text, this);
    button->setToolTip(toolTip.isEmpty() ? text : toolTip);
    button->setAccessibleName(text);
    button->setCursor(Qt::PointingHandCursor);
    m_buttons->addWidget(button);
    return button;
}

void Banner::clearButtons()
{
    const auto all = buttons();
    for (QPushButton *b : all)
        delete b;
}

QList<QPushButton *> Banner::buttons() const
{
    return findChildren<QPushButton *>(QString(), Qt::FindDirectChildrenOnly);
}

void Banner::applyPalette()
{
    QPalette p = palette();
    const bool dark = QWidget::palette().color(QPalette::Window).lightness() < 128;
    const bool error = m_kind == Kind::Error;
    QColor background;
    QColor foreground;
    if (error) {
        background = dark ? QColor(0x5a, 0x1d, 0x1d) : QColor(0xfd, 0xe8, 0xe8);
        foreground = dark ? QColor(0xff, 0xd7, 0xd7) : QColor(0x7a, 0x12, 0x12);
    } else {
        background = dark ? QColor(0x4a, 0x3b, 0x10) : QColor(0xff, 0xf4, 0xd6);
        foreground = dark ? QColor(0xfd, 0xe6, 0xa8) : QColor(0x5c, 0x40, 0x00);
    }
    p.setColor(QPalette::Window, background);
    p.setColor(QPalette::WindowText, foreground);
    setPalette(p);
    const QIcon icon = QIcon(error ? QStringLiteral(":/icons/state-failed.svg")
                                   : QStringLiteral(":/icons/state-needs-attention.svg"));
    const QIcon fallback =
        style()->standardIcon(error ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning);
    const QIcon shown =
        icon.availableSizes().isEmpty() && icon.pixmap(20).isNull() ? fallback : icon;
    m_icon->setPixmap(shown.pixmap(20, 20));
}

} // namespace brieflow::ui
