// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "navigationrail.h"

#include <QAction>
#include <QButtonGroup>
#include <QEvent>
#include <QPainter>
#include <QScopedValueRollback>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/gallery/galleryicons.h"

namespace brieflow::ui {

NavigationRail::NavigationRail(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Navigation"));
    setFixedWidth(railWidth);
    m_group = new QButtonGroup(this);
    m_group->setExclusive(true);
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(8, 12, 8, 12);
    m_layout->setSpacing(8);
    m_layout->addStretch(1);
    m_settings = makeButton(themedIcon(QStringLiteral("settings")), tr("Settings"),
                            tr("Token, models, concurrency and data folder"));
    m_layout->addWidget(m_settings);
    connect(m_settings, &QToolButton::clicked, this, &NavigationRail::settingsRequested);
    connect(m_group, &QButtonGroup::idToggled, this, [this](int id, bool checked) {
        if (checked)
            Q_EMIT currentPageChanged(id);
    });
    updateStyle();
}

NavigationRail::~NavigationRail() = default;

QToolButton *NavigationRail::makeButton(const QIcon &icon, const QString &label,
                                        const QString &toolTip)
{
    auto *button = new QToolButton(this);
    button->setIcon(icon);
    button->setText(label);
    button->setToolTip(toolTip);
    button->setAccessibleName(label);
    button->setAccessibleDescription(toolTip);
    button->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    button->setIconSize(QSize(24, 24));
    button->setAutoRaise(true);
    button->setFocusPolicy(Qt::TabFocus);
    button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    button->setMinimumHeight(56);
    return button;
}

int NavigationRail::addPage(const QIcon &icon, const QString &label, const QString &toolTip,
                            const QKeySequence &shortcut)
{
    const int page = static_cast<int>(m_pages.size());
    QString tip = toolTip;
    if (!shortcut.isEmpty())
        tip += QStringLiteral(" (%1)").arg(shortcut.toString(QKeySequence::NativeText));
    QToolButton *button = makeButton(icon, label, tip);
    button->setCheckable(true);
    m_group->addButton(button, page);
    m_layout->insertWidget(page, button);
    m_pages << button;
    if (!shortcut.isEmpty()) {
        auto *action = new QAction(label, this);
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WindowShortcut);
        addAction(action);
        connect(action, &QAction::triggered, this, [this, page] { setCurrentPage(page); });
    }
    if (page == 0)
        button->setChecked(true);
    return page;
}

int NavigationRail::currentPage() const
{
    return m_group->checkedId();
}

void NavigationRail::setCurrentPage(int page)
{
    if (QToolButton *button = m_pages.value(page); button && !button->isChecked())
        button->setChecked(true);
}

void NavigationRail::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QColor window = palette().color(QPalette::Window);
    // A step away from the window's colour, lighter or darker with the theme.
    painter.fillRect(rect(), window.lightness() < 128 ? window.lighter(120) : window.darker(104));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(rect().topRight(), rect().bottomRight());
}

void NavigationRail::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_styling)
        updateStyle();
}

void NavigationRail::updateStyle()
{
    // The checked page is a tinted pill in the highlight colour, not a sunken button.
    const QScopedValueRollback styling(m_styling, true);
    QColor tint = palette().color(QPalette::Highlight);
    tint.setAlpha(48);
    QColor hover = palette().color(QPalette::Text);
    hover.setAlpha(20);
    const auto rgba = [](const QColor &c) {
        return QStringLiteral("rgba(%1, %2, %3, %4)")
            .arg(c.red())
            .arg(c.green())
            .arg(c.blue())
            .arg(c.alpha());
    };
    setStyleSheet(
        QStringLiteral("QToolButton { border: none; border-radius: 8px; padding: 6px 2px; }"
                       "QToolButton:hover { background: %1; }"
                       "QToolButton:checked { background: %2; font-weight: 600; }")
            .arg(rgba(hover), rgba(tint)));
}

} // namespace brieflow::ui
