// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/shell/firstrundialog.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace brieflow::ui {

FirstRunDialog::FirstRunDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Welcome to Brieflow"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 16);
    layout->setSpacing(12);
    auto *top = new QHBoxLayout;
    auto *logo = new QLabel(this);
    logo->setPixmap(QIcon(QStringLiteral(":/icons/brieflow.svg")).pixmap(48, 48));
    top->addWidget(logo, 0, Qt::AlignTop);
    auto *title = new QLabel(tr("Welcome to Brieflow"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    title->setFont(f);
    top->addWidget(title, 1);
    layout->addLayout(top);
    auto *text = new QLabel(
        tr("Brieflow turns a marketing brief into a campaign concept, an image prompt and "
           "images, using models on Replicate. That needs a Replicate API token.\n\n"
           "No token yet? Try the demo: the same pipeline against a built-in sandbox on this "
           "computer — nothing is sent anywhere and nothing costs money. You can add a token "
           "at any time."),
        this);
    text->setWordWrap(true);
    text->setMinimumWidth(440);
    layout->addWidget(text);

    auto *buttons = new QDialogButtonBox(this);
    auto *demo = buttons->addButton(tr("Try the demo"), QDialogButtonBox::AcceptRole);
    demo->setToolTip(tr("Run Brieflow offline against the built-in sandbox"));
    demo->setDefault(true);
    auto *token = buttons->addButton(tr("Add API token…"), QDialogButtonBox::ActionRole);
    token->setToolTip(tr("Open Settings to paste your Replicate API token"));
    layout->addWidget(buttons);
    connect(demo, &QPushButton::clicked, this, [this] {
        m_choice = Choice::Demo;
        accept();
    });
    connect(token, &QPushButton::clicked, this, [this] {
        m_choice = Choice::AddToken;
        accept();
    });
}

ShortcutsDialog::ShortcutsDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Keyboard shortcuts"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 16, 24, 16);
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(24);
    grid->setVerticalSpacing(8);
    const QList<std::pair<QKeySequence, QString>> rows{
        {QKeySequence(Qt::CTRL | Qt::Key_Return), tr("Generate: queue the brief")},
        {QKeySequence(Qt::CTRL | Qt::Key_I), tr("Import briefs from a CSV file")},
        {QKeySequence(Qt::CTRL | Qt::Key_F), tr("Search the queue")},
        {QKeySequence(Qt::CTRL | Qt::Key_R), tr("Retry the selected jobs")},
        {QKeySequence(Qt::Key_Delete), tr("Delete the selected jobs (asks first)")},
        {QKeySequence(Qt::CTRL | Qt::Key_Comma), tr("Settings")},
        {QKeySequence(Qt::Key_F1), tr("This list")},
    };
    int r = 0;
    for (const auto &[keys, what] : rows) {
        auto *key = new QLabel(QStringLiteral("<b>%1</b>")
                                   .arg(keys.toString(QKeySequence::NativeText).toHtmlEscaped()),
                               this);
        grid->addWidget(key, r, 0);
        grid->addWidget(new QLabel(what, this), r, 1);
        ++r;
    }
    layout->addLayout(grid);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace brieflow::ui
